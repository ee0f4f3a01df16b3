"""Ready-to-show values for the lead page, so templates hold no lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.public.readiness_questions import ANSWER_OPTIONS, GROUP_TITLES, QUESTIONS

_QUESTION_TEXT = {question.id: question.text for question in QUESTIONS}
_ANSWER_LABEL = {option.key: option.label for option in ANSWER_OPTIONS}


@dataclass(frozen=True)
class ReadinessView:
    overall: Any
    groups: list[tuple[str, Any]]
    answers: list[tuple[str, str]]


def readiness_view(data: dict[str, Any] | None) -> ReadinessView | None:
    """The readiness check attached to an enquiry, with question texts and answer labels.

    Keys the questionnaire no longer knows are shown as stored rather than dropped.
    """
    if not isinstance(data, dict):
        return None
    groups = data.get("groups") if isinstance(data.get("groups"), dict) else {}
    answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
    return ReadinessView(
        overall=data.get("overall"),
        groups=[(str(GROUP_TITLES.get(key, key)), score) for key, score in groups.items()],
        answers=[
            (str(_QUESTION_TEXT.get(key, key)), str(_ANSWER_LABEL.get(answer, answer)))
            for key, answer in answers.items()
        ],
    )
