"""Forms of the engagement pages. The stage and schedule forms carry the version the
person saw (optimistic locking); field names are unique across the page's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.domain import lifecycle
from portal.engagements.presentation import CLOSE_REASON_LABELS, STAGE_LABELS
from portal.models import Engagement

DATE_MESSAGE = _l("Enter a date as YYYY-MM-DD.")


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class StageForm(VersionedForm):
    """One form for every move: the buttons (or the board's select) send `to_stage`."""

    to_stage = SelectField(_l("Move to"), validators=[DataRequired(message=_l("Choose a stage."))])
    note = TextAreaField(
        _l("Note (needed when skipping a stage or going back)"), validators=[Optional(), Length(max=2000)]
    )
    reason = SelectField(
        _l("Reason for closing"),
        choices=[SelectChoice("", _l("Choose when closing…"))]
        + [SelectChoice(key, label) for key, label in CLOSE_REASON_LABELS.items()],
        validators=[Optional()],
    )
    certificate_number = StringField(
        _l("Certificate number (when certifying)"), validators=[Optional(), Length(max=80)]
    )
    decision_date = DateField(
        _l("Certification decision date (when certifying)"), validators=[Optional()], format="%Y-%m-%d"
    )


class ScheduleForm(VersionedForm):
    expiry_date = DateField(_l("Certificate expiry"), validators=[InputRequired(message=DATE_MESSAGE)])
    surveillance_1_due = DateField(_l("Surveillance audit 1 due"), validators=[InputRequired(message=DATE_MESSAGE)])
    surveillance_2_due = DateField(_l("Surveillance audit 2 due"), validators=[InputRequired(message=DATE_MESSAGE)])
    recertification_due = DateField(_l("Recertification audit due"), validators=[InputRequired(message=DATE_MESSAGE)])
    schedule_note = TextAreaField(
        _l("Why the schedule changes"),
        validators=[DataRequired(message=_l("Say why the schedule changes.")), Length(max=2000)],
    )


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(message=_l("Write the note first.")), Length(max=5000)])


def configure_stage_form(form: StageForm, engagement: Engagement) -> StageForm:
    """The stages reachable from where the engagement is (before validating or rendering)."""
    targets = lifecycle.reachable(engagement.stage, engagement.stage_before_hold)
    form.to_stage.choices = [SelectChoice(stage, STAGE_LABELS[stage]) for stage in targets]
    return form


def fresh_forms(engagement: Engagement) -> dict[str, FlaskForm]:
    """The page's forms as they start out, with the engagement's current version and dates."""
    stage_form = configure_stage_form(StageForm(formdata=None, version=engagement.version), engagement)
    schedule_form = ScheduleForm(
        formdata=None,
        version=engagement.version,
        expiry_date=engagement.expiry_date,
        surveillance_1_due=engagement.surveillance_1_due,
        surveillance_2_due=engagement.surveillance_2_due,
        recertification_due=engagement.recertification_due,
    )
    return {"stage_form": stage_form, "schedule_form": schedule_form, "note_form": NoteForm(formdata=None)}
