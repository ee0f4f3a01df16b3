"""The readiness questionnaire as a Flask-WTF form: one radio group per question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from portal.core.readiness_questions import ANSWER_OPTIONS, QUESTIONS, ReadinessQuestion

ANSWER_REQUIRED = _l("Choose an answer for this question.")


def _question_field(question: ReadinessQuestion) -> RadioField:
    return RadioField(
        question.text,
        choices=[SelectChoice(option.key, option.label) for option in ANSWER_OPTIONS],
        # To WTForms a missing answer is "not a valid choice": one clear message for both cases.
        invalid_choice_message=ANSWER_REQUIRED,
    )


class _QuestionnaireForm(FlaskForm):
    def answers(self) -> dict[str, str]:
        """Question id -> answer key, for the questions answered."""
        return {q.id: self[q.id].data for q in QUESTIONS if self[q.id].data}

    def question_fields(self, group: str) -> list[tuple[ReadinessQuestion, RadioField]]:
        """(question, its field) for one group, in questionnaire order."""
        return [(q, self[q.id]) for q in QUESTIONS if q.group == group]


# One field per question, named by the question id (the questions are data, not code).
ReadinessForm = type("ReadinessForm", (_QuestionnaireForm,), {q.id: _question_field(q) for q in QUESTIONS})
