"""Forms of the inbox (the bulk form) and of the lead page. Each lead-page form that changes
the lead row carries the version the person saw (optimistic locking); field names are
unique across the page's forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from portal.core.reference_names import standard_label
from portal.domain import lead_status
from portal.domain.normalise import clean_line
from portal.leads.presentation import CALL_OUTCOMES, LEAD_EMAIL_TEMPLATES
from portal.leads.queries import LeadFormChoices
from portal.leads.queries.filters import ALL_STATUSES
from portal.leads.services.bulk import TAG_TARGET
from portal.models import Lead, Tag, User
from portal.web.listing import parse_int
from portal.web.status import LEAD_STATUS_LABELS


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class AssignForm(VersionedForm):
    assignee = SelectField(_l("Assigned to"), coerce=int, validators=[InputRequired()])


class StatusForm(VersionedForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[DataRequired(message=_l("Write the note first.")), Length(max=5000)])


class CallForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(k, v) for k, v in CALL_OUTCOMES.items()])
    call_notes = TextAreaField(_l("What was said"), validators=[Optional(), Length(max=5000)])


class EmailForm(FlaskForm):
    template = SelectField(_l("E-mail"), choices=[SelectChoice(k, t.label) for k, t in LEAD_EMAIL_TEMPLATES.items()])
    personal_message = TextAreaField(_l("Personal message (optional)"), validators=[Optional(), Length(max=2000)])


class MergeForm(VersionedForm):
    target = HiddenField(validators=[DataRequired()])


class ConvertForm(VersionedForm):
    standards = SelectMultipleField(
        _l("Standards of the engagement"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose the standards the engagement is for."))],
    )


class TagLeadForm(FlaskForm):
    """Put one of the admins' tags on the lead (the tags it has are not offered)."""

    tag = SelectField(_l("Add a tag"), validate_choice=False)


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("File to attach"),
        validators=[FileRequired(message=_l("Choose a file to attach."))],
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx"},
    )


FORM_CLASSES: dict[str, type[FlaskForm]] = {
    "assign_form": AssignForm,
    "status_form": StatusForm,
    "note_form": NoteForm,
    "call_form": CallForm,
    "email_form": EmailForm,
    "convert_form": ConvertForm,
    "attachment_form": AttachmentForm,
    "tag_form": TagLeadForm,
}


def _status_choice_label(current: str, new: str) -> str:
    if current == lead_status.UNQUALIFIED and new == lead_status.REOPEN_TO:
        return str(_l("Reopen (back to new)"))
    return str(LEAD_STATUS_LABELS[new])


def configure(form: FlaskForm, lead: Lead, choices: LeadFormChoices) -> FlaskForm:
    """Give the form its choices for this lead (before validating or rendering)."""
    if isinstance(form, AssignForm):
        form.assignee.choices = [SelectChoice(0, _l("Nobody (unassigned)"))] + [
            SelectChoice(u.id, u.name) for u in choices.users
        ]
    elif isinstance(form, StatusForm):
        form.status.choices = [
            SelectChoice(s, _status_choice_label(lead.status, s)) for s in lead_status.manual_next(lead.status)
        ]
    elif isinstance(form, ConvertForm):
        form.standards.choices = [SelectChoice(s.id, standard_label(s.code, s.title)) for s in choices.standards]
    elif isinstance(form, TagLeadForm):
        form.tag.choices = [SelectChoice(str(tag.id), tag.name) for tag in choices.tags if tag not in lead.tags]
    return form


def fresh_form(name: str, lead: Lead, choices: LeadFormChoices) -> FlaskForm:
    """An unbound form filled from the lead (never from the request being answered)."""
    data: dict[str, object] = {}
    if issubclass(FORM_CLASSES[name], VersionedForm):
        data["version"] = lead.version
    if name == "assign_form":
        data["assignee"] = lead.assigned_to_id or 0
    if name == "convert_form":
        data["standards"] = [s.id for s in lead.standards]
    return configure(FORM_CLASSES[name](formdata=None, data=data), lead, choices)


BULK_STATUSES = [status for status in ALL_STATUSES if status != lead_status.CONVERTED]


class TickedIdsField(SelectMultipleField):
    """The ids of the ticked rows. A value no row can have as its id (not a number, zero, too
    big for the table) did not come from a tick on the page: one clear message next to the
    field, rather than WTForms' "could not be coerced" or an overflow in SQL."""

    def process_formdata(self, valuelist: list[str]) -> None:
        ids = [parse_int(raw) for raw in valuelist]
        self.data = [lead_id for lead_id in ids if lead_id]
        if len(self.data) != len(ids):
            raise ValueError(_("Some ticked rows could not be read. Reload the page and tick them again."))


class BulkForm(FlaskForm):
    """One form around the inbox table: ticked rows, an action and its target."""

    lead_ids = TickedIdsField(_l("Leads"), validate_choice=False)
    action = SelectField(
        _l("Action"),
        choices=[
            SelectChoice("assign", _l("Assign to")),
            SelectChoice("status", _l("Change status to")),
            SelectChoice("spam", _l("Mark as spam")),
            SelectChoice("tag", _l("Add tag")),
            SelectChoice("untag", _l("Remove tag")),
        ],
    )
    target = SelectField(_l("Consultant, status or tag"), validate_choice=False)
    reason = StringField(_l("Reason"), validators=[Length(max=300)])

    def validate_lead_ids(self, field) -> None:
        if not field.data and not field.errors:
            raise ValidationError(_("Tick at least one lead."))


def configure_bulk(form: BulkForm, consultants: list[User], tags: list[Tag]) -> BulkForm:
    """Give the bulk form's target its choices: the consultants, the statuses, then the tags."""
    people, statuses, tag_group = _("Consultant"), _("Status"), _("Tag")
    form.target.choices = (
        [SelectChoice("none", _("Nobody (unassign)"), optgroup=people)]
        + [SelectChoice(str(user.id), user.name, optgroup=people) for user in consultants]
        + [SelectChoice(status, str(LEAD_STATUS_LABELS[status]), optgroup=statuses) for status in BULK_STATUSES]
        + [SelectChoice(f"{TAG_TARGET}{tag.id}", tag.name, optgroup=tag_group) for tag in tags]
    )
    return form


class SaveViewForm(FlaskForm):
    """Save the inbox's current filters and sort (they ride along in the query string) as a tab."""

    view_name = StringField(
        _l("Name of the view"),
        validators=[DataRequired(message=_l("Give the view a name.")), Length(max=60)],
        filters=[clean_line],
    )
    shared = BooleanField(_l("Share with the whole team"))


class RenameViewForm(FlaskForm):
    """A new name for the open tab's saved view."""

    new_name = StringField(
        _l("New name"),
        validators=[DataRequired(message=_l("Give the view a name.")), Length(max=60)],
        filters=[clean_line],
    )
