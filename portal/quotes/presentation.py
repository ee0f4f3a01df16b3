"""Read models of the quote pages, ready for the templates.

The compare page: received quotes side by side, each column carrying the quote's
three-year cost, its offered days against the IAF MD 5 figures for this engagement,
its validity and the body's accreditation for every wanted standard; every request
with its status as of today and what may be done with it. The link page: the job a
body is asked to price, and nothing more. Templates only show these values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.mla_text import recognition_gap
from portal.core.reference_names import local_name
from portal.domain import accreditation as accreditation_rules
from portal.domain import audit_time
from portal.domain.normalise import slugify
from portal.domain.quote_costs import CycleCost, DaysCheck, DaysVerdict, cheapest, check_days, cycle_cost
from portal.models import Accreditation, CertificationBody, Engagement, Quote, QuoteStatus, Standard
from portal.quotes.services import RequestResult
from portal.quotes.tokens import LinkProblem
from portal.web.status import quote_status_label

SHOWN_SIDE_BY_SIDE = (QuoteStatus.RECEIVED.value, QuoteStatus.ACCEPTED.value)
EXPIRING_SOON_DAYS = 14  # a received quote with fewer days of validity left is shown in red


@dataclass(frozen=True)
class Md5Figures:
    """The engagement's initial-audit days by MD 5: the plain estimate and the least MD 5 allows.

    `without_profile` is True when the engagement has no enquiry to read personnel and sites from;
    `personnel_not_given` when its enquiry left the personnel out (the short form allows it).
    Sites not given count as one.
    """

    estimate: Decimal | None
    minimum: Decimal | None
    without_table: tuple[str, ...]
    without_profile: bool = False
    personnel_not_given: bool = False


@dataclass(frozen=True)
class AccreditationLine:
    """One wanted standard for one body: the current accreditation (if any) and what to warn about."""

    standard: str
    accreditation: Accreditation | None
    warning: accreditation_rules.ExpiryWarning | None
    mla_gap: str  # why its accreditation body is not recognised for the standard; empty: it is

    @property
    def warning_text(self) -> str | None:
        """The warning in words beside the accreditation, or None when it is active and not expiring."""
        return str(WARNING_WORDS[self.warning]) if self.warning else None


WARNING_WORDS = {
    accreditation_rules.ExpiryWarning.EXPIRED: _l("expired"),
    accreditation_rules.ExpiryWarning.EXPIRING: _l("expires soon"),
    accreditation_rules.ExpiryWarning.SUSPENDED: _l("suspended"),
    accreditation_rules.ExpiryWarning.WITHDRAWN: _l("withdrawn"),
}


@dataclass(frozen=True)
class DaysNote:
    """What the compare page says under the offered days, with its look (an alert when below what MD 5 allows)."""

    text: str
    css: str
    alert: bool = False


def _days(value: Decimal | None) -> str:
    """Days to one decimal, rounded as the page always has (through float, like Jinja's "%.1f"|format)."""
    return f"{float(value or 0):.1f}"


def days_note(check: DaysCheck) -> DaysNote | None:
    """The verdict on the offered initial-audit days in words; None when there is nothing to compare."""
    if check.offered is None:
        return None
    if check.verdict == DaysVerdict.BELOW_MINIMUM:
        text = _(
            "Below what IAF MD 5 allows: %(offered)s days offered, at least %(minimum)s required (estimate "
            "%(estimate)s). A body that cuts audits short is a warning sign.",
            offered=_days(check.offered),
            minimum=_days(check.minimum),
            estimate=_days(check.estimate),
        )
        return DaysNote(text, "alert alert-danger py-1 px-2 mt-1 mb-0 small", alert=True)
    if check.verdict == DaysVerdict.BELOW_ESTIMATE:
        text = _(
            "%(short)s days under the MD 5 estimate of %(estimate)s: ask for the reductions' justification.",
            short=_days(check.shortfall),
            estimate=_days(check.estimate),
        )
        return DaysNote(text, "small text-warning-emphasis")
    if check.verdict == DaysVerdict.MEETS:
        return DaysNote(
            _("Meets the MD 5 estimate of %(estimate)s days.", estimate=_days(check.estimate)),
            "small text-success-emphasis",
        )
    return None


@dataclass(frozen=True)
class QuoteColumn:
    """One received or accepted quote side by side; `can_accept` when it may be accepted now."""

    quote: Quote
    status: str
    label: str
    cost: CycleCost
    days: DaysCheck
    days_note: DaysNote | None
    days_left: int | None
    expiring_soon: bool
    cheapest: bool
    accreditation: tuple[AccreditationLine, ...]
    received: bool
    can_accept: bool
    accepted: bool


@dataclass(frozen=True)
class QuoteRow:
    """One request in the list of all of them, with its status as of today and what may be done."""

    quote: Quote
    status: str
    label: str
    can_enter_by_hand: bool
    can_withdraw: bool


def md5_figures(engagement: Engagement) -> Md5Figures:
    """Initial audit days for the engagement's standards, personnel, sector and sites (from its enquiry).

    The minimum is the least MD 5 allows (audit_time.least_initial_days: every
    reduction at its cap, the lowest category the body may choose, rounded as MD 5
    rounds with a tie down), so a correct quote is never called below it. Where the
    sector's category is the body's choice there is no estimate, only the minimum.
    """
    lead = engagement.lead
    specs = [audit_time.StandardSpec(s.code, s.md5_table) for s in engagement.standards]
    if lead is None or not specs:
        return Md5Figures(None, None, (), without_profile=True)
    if lead.employees is None:
        return Md5Figures(None, None, (), personnel_not_given=True)
    common = {"sector_code": lead.sector.code if lead.sector else None, "sites": lead.sites or 1}
    try:
        minimum = audit_time.least_initial_days(specs, lead.employees, **common)
        plain = audit_time.estimate(specs, lead.employees, **common)
    except audit_time.ComplexityChoiceError:
        return Md5Figures(None, minimum, ())
    except audit_time.AuditTimeError:
        return Md5Figures(None, None, ())
    return Md5Figures(plain.days.initial if plain.days else None, minimum, plain.without_table)


def _accreditation_lines(
    body: CertificationBody, standards: Sequence[Standard], today: date
) -> tuple[AccreditationLine, ...]:
    lines = []
    for standard in standards:
        candidates = [a for a in body.accreditations if a.standard_id == standard.id]
        # The best one: current first, then the latest end date.
        candidates.sort(
            key=lambda a: (accreditation_rules.is_current(a.status, a.valid_from, a.valid_until, today), a.valid_until),
            reverse=True,
        )
        best = candidates[0] if candidates else None
        warning = accreditation_rules.warning_for(best.status, best.valid_until, today) if best else None
        accreditor = best.accreditation_body if best else None
        gap = (
            recognition_gap(standard.family, accreditor.mla_scopes, accreditor.iaf_mla_signatory) if accreditor else ""
        )
        lines.append(AccreditationLine(standard.code, best, warning, gap))
    return tuple(lines)


def columns(quotes: Sequence[Quote], engagement: Engagement, md5: Md5Figures, today: date) -> list[QuoteColumn]:
    """Received and accepted quotes, each with its cost, days check, validity and accreditations."""
    shown = [q for q in quotes if q.status_on(today) in SHOWN_SIDE_BY_SIDE]
    costs = {q.id: cycle_cost(q.initial_fee, q.surveillance_fee, q.recertification_fee, q.travel_fee) for q in shown}
    lowest = cheapest({qid: cost.three_year_total for qid, cost in costs.items()}) if len(shown) > 1 else set()
    none_accepted = not any(q.status == QuoteStatus.ACCEPTED for q in quotes)
    return [
        QuoteColumn(
            quote=q,
            status=q.status_on(today),
            label=quote_status_label(q, today),
            cost=costs[q.id],
            days=check_days(q.initial_audit_days, md5.estimate, md5.minimum),
            days_note=days_note(check_days(q.initial_audit_days, md5.estimate, md5.minimum)),
            days_left=(q.valid_until - today).days if q.valid_until else None,
            expiring_soon=q.valid_until is not None and (q.valid_until - today).days < EXPIRING_SOON_DAYS,
            cheapest=q.id in lowest,
            accreditation=_accreditation_lines(q.certification_body, engagement.standards, today),
            received=q.status_on(today) == QuoteStatus.RECEIVED,
            can_accept=none_accepted and q.status_on(today) == QuoteStatus.RECEIVED,
            accepted=q.status == QuoteStatus.ACCEPTED,
        )
        for q in shown
    ]


def rows(quotes: Sequence[Quote], today: date) -> list[QuoteRow]:
    """Every request, oldest first: a requested one may be typed in by hand, an open one withdrawn."""
    return [
        QuoteRow(
            quote=q,
            status=q.status_on(today),
            label=quote_status_label(q, today),
            can_enter_by_hand=q.status_on(today) == QuoteStatus.REQUESTED,
            can_withdraw=q.is_open_on(today),
        )
        for q in quotes
    ]


@dataclass(frozen=True)
class JobSummary:
    """What a certification body is shown to price a job: the scope, never who the client is.

    No company name, contact, e-mail or phone leaves the portal through a quote link.
    """

    reference: str
    body_name: str
    standards: tuple[str, ...]
    sector: str
    employees: int | None
    sites: int | None
    locations: tuple[str, ...]
    wanted_by: date | None


def job_summary(quote: Quote) -> JobSummary:
    engagement = quote.engagement
    lead = engagement.lead
    sector = f"{lead.sector.code} · {local_name(lead.sector.name)}" if lead and lead.sector else ""
    return JobSummary(
        reference=f"Q-{quote.id}",
        body_name=quote.certification_body.name,
        standards=tuple(f"{s.code} ({local_name(s.title)})" for s in engagement.standards),
        sector=sector,
        employees=lead.employees if lead else None,
        sites=lead.sites if lead else None,
        locations=(local_name(lead.region.name),) if lead and lead.region else (),
        wanted_by=lead.wanted_by if lead else None,
    )


def request_messages(result: RequestResult, emailed: bool) -> list[tuple[str, str]]:
    """What to flash after a request: (message, category) for the created and the skipped bodies."""
    messages = []
    created = ", ".join(q.certification_body.name for q in result.created)
    if result.created and emailed:
        messages.append(
            (_("Quote requested from %(bodies)s. Each body received its own link.", bodies=created), "success")
        )
    elif result.created:
        messages.append((_("Added without e-mail, ready to enter by hand: %(bodies)s.", bodies=created), "success"))
    if result.already_open:
        bodies = ", ".join(b.name for b in result.already_open)
        messages.append((_("Not requested again (a request is still open): %(bodies)s.", bodies=bodies), "info"))
    if result.without_email:
        bodies = ", ".join(b.name for b in result.without_email)
        messages.append(
            (_("No e-mail address in the directory, so no request sent: %(bodies)s.", bodies=bodies), "warning")
        )
    return messages


def link_problem_message(problem: LinkProblem) -> str:
    """Why a quote link opens nothing, in words for the body that followed it."""
    messages = {
        LinkProblem.EXPIRED: lambda: _(
            "The link or the quotation has expired. If you still wish to quote, please reply to the e-mail that "
            "brought you here and we will send a new link."
        ),
        LinkProblem.DECIDED: lambda: _(
            "This quotation request has been closed (a decision was made or the request was withdrawn), so it can "
            "no longer be answered or revised. Thank you for your time."
        ),
        LinkProblem.CLOSED: lambda: _(
            "This quotation request is no longer open: the project it was for has ended, or it is no longer "
            "handled with your organisation. It can no longer be answered or revised. Thank you for your time."
        ),
    }
    if problem in messages:
        return messages[problem]()
    return _(
        "The link is not valid. Please open it exactly as it appears in the e-mail, or reply to that e-mail for a "
        "new one."
    )


def pdf_download_name(quote: Quote) -> str:
    """`quote-<engagement>-<body>.pdf`: what the consultant's browser saves, whatever the body named its file."""
    body = quote.certification_body
    return f"quote-{quote.engagement_id}-{slugify(body.slug or body.name) or body.id}.pdf"
