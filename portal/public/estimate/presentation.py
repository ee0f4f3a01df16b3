"""What the estimate page shows: its questions and answers, and the result as ready values.

The result offers to send an enquiry with the estimate attached through a signed token.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from portal.core.audit_time_text import complexity_choice_text, days, explanation, no_table_text, personnel_text
from portal.core.clock import today_in_oman
from portal.core.reference import active_standards
from portal.domain.audit_time import AuditTimeEstimate, ComplexityChoiceError, audit_time_document, estimate
from portal.public.attachments import sign_attachment
from portal.public.estimate.forms import EstimateForm
from portal.public.estimate.queries import RateQuery, cost_range, specs


def faqs() -> list[tuple[str, str]]:
    return [
        (
            _("What is an auditor-day?"),
            _("Eight hours of one auditor's time on your audit, travel excluded."),
        ),
        (
            _("Where do the figures come from?"),
            _(
                "From IAF MD 5, the document every accredited certification body follows to set audit time from the "
                "number of people in the management system and, for environment and health and safety, the "
                "complexity of the work. The body must give you its own calculation with the contract; it may "
                "adjust the table figure for your situation, but never downwards by more than 30%, and rounds "
                "each figure to the nearest half day."
            ),
        ),
        (
            _("Why is there a range of costs?"),
            _(
                "Certification bodies set their own day rates. The range uses the lowest and highest day rates of "
                "the accredited bodies we know that work in your location. Travel and VAT come on top."
            ),
        ),
        (
            _("How are part-time staff and shifts counted?"),
            _(
                "IAF MD 5 counts everyone working in the management system, on every shift. Part-time staff count "
                "by their hours: ten people working 20 hours of a 40-hour week count as five. Where many people do "
                "the same simple, repetitive work, the certification body may count fewer of them, with a "
                "justification."
            ),
        ),
        (
            _("Are all our sites audited?"),
            _(
                "Where every site runs the same processes, IAF MD 1 lets the body audit the central function and a "
                "sample of the other sites. Where the sites do different work, the risk is high, or there are "
                "fewer than two sites besides the central one, every site is audited at the initial audit and at "
                "recertification."
            ),
        ),
    ]


def attachment_data(standards: list[str], form: EstimateForm, result: AuditTimeEstimate) -> dict[str, Any]:
    """What the enquiry stores on the lead: readable keys and short values."""
    data: dict[str, Any] = {
        "standards": ", ".join(standards),
        "employees": form.employees.data,
        "part_time_staff": form.part_time.data or 0,
        "effective_personnel": form.people().count,
        "sites": form.sites.data,
        "sites_differ": form.sites_differ.data,
        "sector": form.sector.data,
        "location": form.region.data,
    }
    if result.days:
        data |= {
            "initial_audit_days": days(result.days.initial),
            "stage_1_days": days(result.days.stage1),
            "stage_2_days": days(result.days.stage2),
            "surveillance_days_each": days(result.days.surveillance),
            "recertification_days": days(result.days.recertification),
        }
    if result.without_table:
        data["no_table_for"] = ", ".join(result.without_table)
    return data


def result_view(form: EstimateForm) -> dict[str, Any] | None:
    """Estimate the chosen standards and hand the template ready values.

    None when the sector is one whose category IAF MD 5 leaves to the certification
    body and none was chosen: the form then asks for it beside the complexity field.
    """
    standards = active_standards(form.standards.data)
    people = form.people()
    try:
        result = estimate(
            specs(standards),
            people.count,
            sector_code=int(form.sector.data),
            sites=form.sites.data,
            complexity=form.complexity(),
            sites_differ=form.sites_differ.data,
        )
    except ComplexityChoiceError as needed:
        form[f"{needed.field}_complexity"].errors.append(complexity_choice_text(needed.field))
        return None
    token = sign_attachment("estimate", attachment_data([s.code for s in standards], form, result))
    return {
        "days": result.days,
        "without_table": [no_table_text(code, audit_time_document(code)) for code in result.without_table],
        "explanation": personnel_text(people, form.repetitive.data)
        + explanation(result, omit=frozenset({"no_table"})),  # shown on their own
        "cost": cost_range(
            result.days,
            RateQuery(form.region.data, tuple(s.id for s in standards), int(form.sector.data), today_in_oman()),
        ),
        "enquiry_url": url_for(
            "enquiry.form", attachment=token, standard=[s.slug for s in standards], location=form.region.data
        ),
    }
