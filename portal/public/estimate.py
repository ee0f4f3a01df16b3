"""The public audit-time estimate: IAF MD 5 auditor-days for each audit of the three-year
cycle, a plain explanation, and an indicative cost range from the directory's day rates.

A GET form (works without JavaScript; nothing is stored). The result offers to send
an enquiry with the estimate attached through a signed token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from portal.core.audit_time_text import days, explanation
from portal.core.clock import today_in_oman
from portal.domain.audit_time import AuditTimeEstimate, estimate
from portal.public.attachments import sign_attachment
from portal.public.estimate_forms import EstimateForm
from portal.public.estimate_services import RateQuery, chosen_standards, cost_range, specs
from portal.public.seo import faq_ld, page_meta
from portal.public.services import form_choices

bp = Blueprint("estimate", __name__)
bp.add_app_template_filter(days, "days")


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
    standards = chosen_standards(form.standards.data)
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


@bp.get("/estimate")
def form():
    form = EstimateForm(request.args)
    form.set_choices(*form_choices())
    result = result_view(form) if request.args and form.validate() else None
    meta = page_meta(
        _("Audit-time estimate for ISO certification"),
        _(
            "Estimate the auditor-days of your ISO 9001, 14001 or 45001 certification audits by IAF MD 5: stage 1 "
            "and 2, each surveillance and recertification, with an indicative cost range."
        ),
        "estimate.form",
        json_ld=[faq_ld(faqs())],
    )
    return render_template("public/estimate.html", form=form, result=result, faqs=faqs(), meta=meta)
