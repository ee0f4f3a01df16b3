"""The public audit-time estimate: IAF MD 5 auditor-days for each audit of the three-year
cycle, a plain explanation, and an indicative cost range from the directory's day rates.

A GET form (works without JavaScript; nothing is stored).
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from portal.public.estimate import bp
from portal.public.estimate.forms import EstimateForm
from portal.public.estimate.presentation import faqs, result_view
from portal.public.queries import form_choices
from portal.public.seo import faq_ld, page_meta


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
