"""The public readiness self-assessment: questionnaire, result, and hand-over to the enquiry.

Nothing is stored: the POST scores the answers and renders the result at once (works
without JavaScript). The result carries a signed attachment token to the enquiry form,
so a visitor who asks for help sends their answers and scores along with it.
"""

from __future__ import annotations

from flask import render_template, url_for

from portal.core.readiness_questions import GROUP_TITLES, QUESTIONS, SCORED_QUESTIONS
from portal.domain.readiness import GROUP_CLAUSE, GROUPS, assess
from portal.public.attachments import sign_attachment
from portal.public.readiness import bp
from portal.public.readiness.forms import ReadinessForm
from portal.public.readiness.presentation import attachment_data, questionnaire_meta, result_meta, result_view


@bp.route("/readiness", methods=["GET", "POST"])
def form():
    form = ReadinessForm()
    if form.validate_on_submit():
        answers = form.answers()
        assessment = assess(SCORED_QUESTIONS, answers)
        token = sign_attachment("readiness", attachment_data(assessment, answers))
        return render_template(
            "public/readiness_result.html",
            result=result_view(assessment),
            enquiry_url=url_for("enquiry.form", attachment=token),
            meta=result_meta(),
        )
    groups = [(GROUP_CLAUSE[g], GROUP_TITLES[g], form.question_fields(g)) for g in GROUPS]
    missing = [field for group in GROUPS for _question, field in form.question_fields(group) if field.errors]
    return render_template(
        "public/readiness.html",
        form=form,
        groups=groups,
        missing=missing,
        question_count=len(QUESTIONS),
        meta=questionnaire_meta(),
    )
