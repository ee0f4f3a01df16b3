"""Structured text of the fixed public pages: process steps, benefits and FAQs.

Kept as data (lazy gettext strings) so a page shows a question and publishes the same
words as FAQPage structured data, and so one template renders every step alike.
Facts follow DOMAIN.md (ISO/IEC 17021-1 cycle, IAF MLA); nothing here may suggest that
certification is easier, faster or cheaper through us, or that we are linked to a
certification body.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Step:
    """One step of the path to certification."""

    title: LazyString
    summary: LazyString
    client: LazyString
    consultancy: LazyString
    duration: LazyString


HOME_STEPS = (
    (
        _l("Assess"),
        _l("We compare how you work today with the standard and give you a written gap analysis and a plan."),
    ),
    (
        _l("Implement"),
        _l("Your team puts the management system in place; we coach, draft with you and review as you go."),
    ),
    (
        _l("Check"),
        _l("Internal audits and a management review show whether the system works and is ready to be audited."),
    ),
    (
        _l("Get audited"),
        _l(
            "You choose an accredited certification body; it runs the stage 1 and stage 2 audits "
            "and decides, independently, on certification."
        ),
    ),
)

BENEFITS = (
    (
        _l("Win and keep contracts"),
        _l(
            "Many tenders and supply chains, in Oman and abroad, ask suppliers for an accredited ISO certificate. "
            "A valid certificate answers that question in one line."
        ),
    ),
    (
        _l("Fewer mistakes and less rework"),
        _l(
            "Clear responsibilities, controlled documents and a habit of finding root causes reduce the same "
            "problem coming back."
        ),
    ),
    (
        _l("Risks you can see"),
        _l(
            "Each standard asks you to identify risks, legal obligations and opportunities, and to act on "
            "them before they become incidents."
        ),
    ),
    (
        _l("Independent assurance"),
        _l(
            "An accredited certification body checks your system every year, so customers and regulators "
            "do not have to take your word for it."
        ),
    ),
)

# The certification decision is the body's, after stage 2, on the audit team's report
# (ISO/IEC 17021-1, 9.5); ISO 9001:2015 asks top management to assign responsibilities and
# authorities (5.3), no longer for a management representative; stage 1's "about a third"
# is the estimate's own split (portal.domain.audit_time.STAGE1_SHARE).
PROCESS_STEPS = (
    Step(
        _l("Assess your current processes"),
        _l("A gap analysis against the standard's clauses, on site and from your documents."),
        _l("Explain how work is done, open your records, and agree the scope: sites, activities, standards."),
        _l("Interview process owners, review documents and records, and give you a written gap report and plan."),
        _l("1 to 3 weeks, depending on size and number of sites."),
    ),
    Step(
        _l("Implement the management system"),
        _l("Policies, objectives, risk assessment, procedures and records that fit how you work."),
        _l(
            "Top management assigns the responsibilities and authorities for the system; your people decide, "
            "approve and use the processes in daily work."
        ),
        _l("Coach your team, help draft what is missing, train staff and review each part as it is built."),
        _l("Typically 2 to 6 months; longer for several standards or many sites."),
    ),
    Step(
        _l("Internal audits and gap analysis"),
        _l("The system runs long enough to produce records, then is checked against the standard."),
        _l("Run the system, hold the management review, and correct what the internal audit finds."),
        _l("Train internal auditors or audit with them, and check that corrective actions close the gaps."),
        _l("Usually 2 to 3 months of records, then 2 to 4 weeks of audit and correction."),
    ),
    Step(
        _l("Choose an accredited certification body"),
        _l("Quotes from bodies accredited for your standard and sector by an IAF MLA signatory."),
        _l("Compare the quotes and sign the contract with the certification body you choose."),
        _l(
            "Check each body's accreditation, scope and the audit days it proposes, and lay the quotes side "
            "by side. We have no tie to any certification body."
        ),
        _l("2 to 6 weeks, including the body's own lead time."),
    ),
    Step(
        _l("Stage 1 audit"),
        _l("The certification body reviews your documentation and whether you are ready for stage 2."),
        _l("Host the auditor, present the system, and plan the correction of any concern raised."),
        _l("Help you prepare and follow up the stage 1 report; we do not take part in the audit decision."),
        _l(
            "About a third of the initial audit time (the audit-time estimate shows the days for your size); "
            "the certification body sets the audit time."
        ),
    ),
    Step(
        _l("Stage 2 audit and certification decision"),
        _l(
            "The certification audit of how the system works in practice. The certification body then decides "
            "on certification, on the audit team's report."
        ),
        _l(
            "Show the system at work, then correct any nonconformity. A major nonconformity not verified as "
            "corrected within 6 months of the last day of stage 2 means another stage 2."
        ),
        _l("Help you analyse the findings and plan corrective actions the body can verify."),
        _l("A few weeks to a few months after stage 1; the decision follows once findings are resolved."),
    ),
    Step(
        _l("Surveillance and recertification"),
        _l(
            "The certificate runs for three years. Surveillance audits come at least once a calendar year, "
            "the first no later than 12 months after the certification decision."
        ),
        _l(
            "Keep the system alive: internal audits, management reviews, improvement. Start recertification "
            "about 6 months before expiry so the audit is finished before the certificate expires."
        ),
        _l("Optional support: reminders of due dates, internal audits and preparation before each visit."),
        _l("Each surveillance takes about one third of the initial audit time; recertification about two thirds."),
    ),
)

ISO_FAQS = (
    (
        _l("Does ISO issue certificates?"),
        _l(
            "No. ISO writes and publishes the standards. Certificates are issued by certification bodies, "
            "which should themselves be accredited by a national accreditation body."
        ),
    ),
    (
        _l("How long is an ISO certificate valid?"),
        _l(
            "Three years from the certification decision, provided the surveillance audits held at least once "
            "each calendar year are passed. A recertification audit before expiry starts a new three-year cycle."
        ),
    ),
    (
        _l("How can I check that a certificate is genuine?"),
        _l(
            "Ask for the certificate number and the accreditation body behind it, check that the accreditation "
            "body is an IAF MLA signatory for that kind of certification (since 1 January 2026 the arrangement "
            "of Global Accreditation Cooperation Incorporated carries those recognitions through a transition "
            "period), and search the certificate in the accreditation body's directory or IAF CertSearch, which "
            "shows whether it is active, suspended, withdrawn or expired."
        ),
    ),
    (
        _l("Can a consultant certify us or guarantee the result?"),
        _l(
            "No. A consultant helps you prepare. Only the certification body decides, independently, and no "
            "honest consultant can promise its decision, its price or its timing."
        ),
    ),
)

PROCESS_FAQS = (
    (
        _l("How long does it take to get certified?"),
        _l(
            "For a small or medium organisation with one site and one standard, often 4 to 9 months from gap "
            "analysis to the certification decision. It depends mostly on how much of the system already "
            "exists and how much time your team can give it."
        ),
    ),
    (
        _l("Who decides how many audit days we need?"),
        _l(
            "The certification body, using the accreditation rules (for quality, environment and health and "
            "safety, IAF MD 5, based mainly on the number of people and the complexity of the work). It must "
            "show you its calculation with the contract."
        ),
    ),
    (
        _l("What happens if the certificate expires before recertification is complete?"),
        _l(
            "The organisation is no longer certified. The certification body can restore the certificate within "
            "6 months after expiry if the outstanding recertification work is done; after that, at least a new "
            "stage 2 audit is needed."
        ),
    ),
)


def faqs(items: tuple[tuple[LazyString, LazyString], ...]) -> list[tuple[str, str]]:
    """The questions and answers translated for this request."""
    return [(str(question), str(answer)) for question, answer in items]
