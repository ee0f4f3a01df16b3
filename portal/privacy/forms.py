"""Forms of the admins' privacy pages: the breach register, a request's status, the notice text."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.domain.normalise import clean_line, clean_text
from portal.domain.working_days import MUSCAT
from portal.privacy.presentation import REQUEST_STATUS_LABELS

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def _moment(label, required: bool = False) -> DateTimeLocalField:
    """A date and time typed in Oman time (the browser's date-time picker)."""
    validators = [DataRequired(_l("Give the date and time."))] if required else [Optional()]
    return DateTimeLocalField(label, format=MOMENT_FORMAT, validators=validators, render_kw={"step": 60})


def in_oman(moment: datetime | None) -> datetime | None:
    """A time typed in Oman as an aware datetime."""
    return moment.replace(tzinfo=MUSCAT) if moment is not None else None


def as_typed(moment: datetime | None) -> datetime | None:
    """A stored time as the form shows it: Oman time, without a zone."""
    return moment.astimezone(MUSCAT).replace(tzinfo=None) if moment is not None else None


class BreachForm(FlaskForm):
    title = StringField(
        _l("What happened (short)"),
        filters=[clean_line],
        validators=[DataRequired(_l("Say in a few words what happened.")), Length(max=200)],
    )
    description = TextAreaField(_l("Description"), filters=[clean_text], validators=[Optional(), Length(max=10000)])
    occurred_at = _moment(_l("When it happened (Oman time, if known)"))
    discovered_at = _moment(_l("When it was found (Oman time)"), required=True)
    data_categories = StringField(
        _l("Categories of data affected"), filters=[clean_line], validators=[Optional(), Length(max=500)]
    )
    people_categories = StringField(
        _l("Categories of people affected"), filters=[clean_line], validators=[Optional(), Length(max=500)]
    )
    people_affected = IntegerField(
        _l("Number of people affected (if known)"),
        validators=[Optional(), NumberRange(min=0, max=100_000_000, message=_l("Give a whole number, 0 or more."))],
    )
    measures = TextAreaField(_l("Measures taken"), filters=[clean_text], validators=[Optional(), Length(max=10000)])
    authority_notified_at = _moment(_l("Authority notified on (Oman time)"))
    people_notified_at = _moment(_l("People affected notified on (Oman time)"))


class RequestUpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(value, label) for value, label in REQUEST_STATUS_LABELS.items()],
        invalid_choice_message=_l("Choose a status from the list."),
    )
    notes = TextAreaField(_l("Notes"), filters=[clean_text], validators=[Optional(), Length(max=10000)])


class NoticeForm(FlaskForm):
    body_en = TextAreaField(_l("Notice in English"), validators=[Length(max=50_000)], render_kw={"rows": 24})
    body_ar = TextAreaField(_l("Notice in Arabic"), validators=[Length(max=50_000)], render_kw={"rows": 24})
