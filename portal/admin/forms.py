"""Forms of the user-management, settings and audit-log pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.api_keys import SCOPES as API_SCOPES
from portal.core.mla_text import SCOPE_LABELS
from portal.domain.normalise import clean_line
from portal.models import Role

ROLE_CHOICES = [SelectChoice(Role.CONSULTANT.value, _l("Consultant")), SelectChoice(Role.ADMIN.value, _l("Admin"))]


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[clean_line])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.CONSULTANT.value)


class UserCreateForm(UserEditForm):
    """No password: the new colleague chooses it through the invitation e-mailed to them."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class AuditFilterForm(FlaskForm):
    """Filters read from the query string (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False, default="", filters=[clean_line])
    actor = StringField(_l("Actor e-mail contains"), validators=[Optional(), Length(max=254)], filters=[clean_line])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


class AutoAssignForm(FlaskForm):
    """The settings page: lead auto-assignment on or off, and the most open leads per consultant."""

    auto_assign = BooleanField(_l("Assign new leads automatically (round-robin over active consultants)"))
    max_open = IntegerField(
        _l("Skip consultants who already have this many open leads"),
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
    )


class ResponseSettingsForm(FlaskForm):
    """The settings page: business hours, the first-response target and corrections to Oman's holidays."""

    opens = TimeField(_l("Office opens (Muscat time)"), validators=[InputRequired()])
    closes = TimeField(_l("Office closes (Muscat time)"), validators=[InputRequired()])
    target_hours = IntegerField(
        _l("Answer a new lead within (working hours)"), validators=[InputRequired(), NumberRange(min=1, max=40)]
    )
    holidays_added = TextAreaField(
        _l("Extra holidays announced (dates as YYYY-MM-DD, one a line)"), validators=[Length(max=1000)]
    )
    holidays_removed = TextAreaField(
        _l("Days the holiday calendar lists that are working days after all (YYYY-MM-DD, one a line)"),
        validators=[Length(max=1000)],
    )


class MlaSignatureForm(FlaskForm):
    """Record (or correct) one MLA scope an accreditation body signed; the body's choices come from the view."""

    accreditation_body = SelectField(_l("Accreditation body"), validators=[InputRequired()], coerce=int)
    scope = SelectField(
        _l("Scope of the arrangement"),
        choices=[SelectChoice(code, label) for code, label in SCOPE_LABELS.items()],
        validators=[InputRequired()],
    )
    recognised_on = DateField(_l("Recognised since"), validators=[InputRequired()])
    source = StringField(
        _l("Source (the member page or document it was read from)"),
        validators=[DataRequired(), Length(max=300)],
        filters=[clean_line],
    )


class StandardEditionForm(FlaskForm):
    """Record (or correct) one edition of a standard; the standards' choices come from the view."""

    standard = SelectField(_l("Standard"), validators=[InputRequired()], coerce=int)
    edition = StringField(
        _l("Edition (as on certificates, e.g. ISO/IEC 27001:2022)"),
        validators=[DataRequired(), Length(max=60)],
        filters=[clean_line],
    )
    published_on = DateField(_l("Published on"), validators=[Optional()])
    previous_edition_ends_on = DateField(_l("Certificates to the previous edition end on"), validators=[Optional()])
    source = StringField(
        _l("Source (the ISO or IAF page or document it was read from)"),
        validators=[DataRequired(), Length(max=500)],
        filters=[clean_line],
    )


# The palette's colours as admins choose them (portal.domain.tag_palette holds the values).
TAG_COLOUR_LABELS = {
    "grey": _l("Grey"),
    "blue": _l("Blue"),
    "green": _l("Green"),
    "red": _l("Red"),
    "amber": _l("Amber"),
    "purple": _l("Purple"),
    "teal": _l("Teal"),
    "sand": _l("Sand"),
}


class TagForm(FlaskForm):
    """A tag consultants put on leads: a name and a colour from the accessible palette."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=40)], filters=[clean_line])
    colour = SelectField(_l("Colour"), choices=[SelectChoice(key, label) for key, label in TAG_COLOUR_LABELS.items()])


class ApiKeyForm(FlaskForm):
    """A new API key: a name saying who uses it, and what it may do."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the key a name, such as the website that will use it.")), Length(max=60)],
        filters=[clean_line],
    )
    scopes = SelectMultipleField(
        _l("It may"),
        choices=[SelectChoice(scope, label) for scope, label in API_SCOPES.items()],
        default=list(API_SCOPES),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose what the key may do."))],
        invalid_choice_message=_l("Choose what the key may do."),
    )
