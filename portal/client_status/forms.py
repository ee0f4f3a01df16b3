"""Forms of the client status area: the consultant's (link, request, review, setting) and the client's upload."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.models import DocumentRequest, DocumentStatus
from portal.web.i18n import language_choices


class SendLinkForm(FlaskForm):
    """Send (or renew) the link; the language is the client's, which the link then carries."""

    # A select checks its value is one of its choices; no `required` (its first option is a real one).
    language = SelectField(_l("Language of the e-mail and the page"))

    def with_choices(self) -> SendLinkForm:
        self.language.choices = [SelectChoice(code, name) for code, name in language_choices()]
        return self


class RevokeLinkForm(FlaskForm):
    """Only the CSRF token: revoking needs nothing else."""


class DocumentRequestForm(FlaskForm):
    title = StringField(
        _l("Document the client must provide"),
        validators=[DataRequired(message=_l("Say which document the client must provide.")), Length(max=200)],
    )
    request_note = TextAreaField(_l("Note for the client (optional)"), validators=[Optional(), Length(max=2000)])
    due_date = DateField(_l("Due date"), validators=[InputRequired(message=_l("Enter a date as YYYY-MM-DD."))])


class ReviewForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice(DocumentStatus.ACCEPTED.value, _l("Accept")),
            SelectChoice(DocumentStatus.RETURNED.value, _l("Return to the client")),
        ],
    )
    comment = TextAreaField(
        _l("Comment (the client reads it when returned)"), validators=[Optional(), Length(max=2000)]
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class UploadForm(FlaskForm):
    """One request's upload on the status page; its fields carry the request's prefix (`d<id>-`)."""

    file = FileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose a file to send."))],
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx"},
    )


def upload_form(request: DocumentRequest, sent: bool = False) -> UploadForm:
    """The upload form of `request` (bound to the post when `sent`), its field named after the document."""
    form = UploadForm(prefix=f"d{request.id}") if sent else UploadForm(formdata=None, prefix=f"d{request.id}")
    form.file.label.text = _("File for “%(title)s”", title=request.title)
    return form


class LinkDaysForm(FlaskForm):
    """The admin's setting: how long a new status link works."""

    link_days = IntegerField(
        _l("Client status links work for (days)"),
        validators=[InputRequired(message=_l("Enter a number of days.")), NumberRange(min=1, max=3650)],
    )
