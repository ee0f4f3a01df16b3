"""The public readiness self-assessment: questionnaire, result, and hand-over to the enquiry.

Nothing is stored: the POST scores the answers and renders the result at once (works
without JavaScript). The result carries a signed attachment token to the enquiry form,
so a visitor who asks for help sends their answers and scores along with it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from portal.core.readiness_questions import ADVICE, GROUP_TITLES, QUESTIONS, SCORED_QUESTIONS, STAGE_SUMMARIES
from portal.domain.readiness import GROUP_CLAUSE, GROUPS, Assessment, assess
from portal.public.attachments import sign_attachment
from portal.public.readiness_forms import ReadinessForm
from portal.public.seo import PageMeta, page_meta

bp = Blueprint("readiness", __name__)


def attachment_data(assessment: Assessment, answers: dict[str, str]) -> dict[str, Any]:
    """What the enquiry stores on the lead: compact ids and numbers, no texts."""
    return {"overall": assessment.overall, "groups": assessment.group_scores(), "answers": answers}


def result_view(assessment: Assessment) -> dict[str, Any]:
    """Ready-to-show values for the result template."""
    return {
        "overall": assessment.overall,
        "stage_summary": STAGE_SUMMARIES[assessment.stage],
        "groups": [
            {
                "key": g.group,
                "clause": GROUP_CLAUSE[g.group],
                "title": GROUP_TITLES[g.group],
                "score": g.score,
                "unsure": g.unsure,
            }
            for g in assessment.groups
        ],
        "weakest": [{"title": GROUP_TITLES[group], "advice": ADVICE[group]} for group in assessment.weakest],
        "find_out": ADVICE["find_out"] if "find_out" in assessment.advice else None,
    }


def questionnaire_meta() -> PageMeta:
    return page_meta(
        _("ISO readiness self-assessment"),
        _(
            "Answer %(count)s questions about your management system and see how ready your organisation "
            "is for ISO certification, area by area, with what to do next.",
            count=len(QUESTIONS),
        ),
        "readiness.form",
    )


def result_meta() -> PageMeta:
    """The result has the questionnaire's canonical address (it is that page, answered)."""
    return page_meta(
        _("Your ISO readiness result"),
        _("Your readiness score per area of an ISO management system, the weakest areas and what to do next."),
        "readiness.form",
    )


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
