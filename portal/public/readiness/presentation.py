"""What the readiness pages show: the result as ready values, the page texts, and what the enquiry stores."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.core.readiness_questions import ADVICE, GROUP_TITLES, QUESTIONS, STAGE_SUMMARIES
from portal.domain.readiness import GROUP_CLAUSE, Assessment
from portal.public.seo import PageMeta, page_meta


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
