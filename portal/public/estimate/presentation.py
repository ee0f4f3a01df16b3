"""What the estimate page shows: its questions and answers, and the result as ready values.

The result offers to send an enquiry with the estimate attached through a signed token.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from portal.core.audit_time_text import days, explanation
from portal.core.clock import today_in_oman
from portal.core.reference import active_standards
from portal.domain.audit_time import AuditTimeEstimate, estimate
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
                "adjust the table figure for your situation, but never by more than 30% downwards."
            ),
        ),
        (
            _("Why is there a range of costs?"),
            _(
                "Certification bodies set their own day rates. The range uses the lowest and highest day rates of "
                "the accredited bodies we know that work in your location. Travel and VAT come on top."
            ),
        ),
    ]


def attachment_data(standards: list[str], form: EstimateForm, result: AuditTimeEstimate) -> dict[str, Any]:
    """What the enquiry stores on the lead: readable keys and short values."""
    data: dict[str, Any] = {
        "standards": ", ".join(standards),
        "employees": form.employees.data,
        "sites": form.sites.data,
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


def result_view(form: EstimateForm) -> dict[str, Any]:
    """Estimate the chosen standards and hand the template ready values."""
    standards = active_standards(form.standards.data)
    result = estimate(specs(standards), form.employees.data, sector_code=int(form.sector.data), sites=form.sites.data)
    token = sign_attachment("estimate", attachment_data([s.code for s in standards], form, result))
    return {
        "days": result.days,
        "without_table": result.without_table,
        "explanation": explanation(result, omit=frozenset({"no_table"})),  # shown on their own
        "cost": cost_range(
            result.days,
            RateQuery(form.region.data, tuple(s.id for s in standards), int(form.sector.data), today_in_oman()),
        ),
        "enquiry_url": url_for(
            "enquiry.form", attachment=token, standard=[s.slug for s in standards], location=form.region.data
        ),
    }
