"""Forms of the registrar directory. Field names match the service's error keys, so a
refusal lands next to the field it is about."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.models import ACCREDITATION_STATUSES
from portal.registrars.presentation import LANGUAGES, STATUS_LABELS
from portal.web.form_fields import FiniteDecimalField


class VersionedForm(FlaskForm):
    """Carries the version the person saw (optimistic locking); empty on create."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class BodyForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)])
    slug = StringField(_l("Slug (in the address)"), validators=[Optional(), Length(max=80)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_l("Contact name"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    country = StringField(_l("Head-office country"), validators=[Optional(), Length(max=80)])
    serves_all_oman = BooleanField(_l("Serves all of Oman"))
    regions = SelectMultipleField(_l("Governorates served"), validate_choice=True)
    languages = SelectMultipleField(_l("Auditor languages"), choices=[SelectChoice(k, v) for k, v in LANGUAGES.items()])
    day_rate = FiniteDecimalField(
        _l("Day rate (OMR per auditor-day)"),
        places=3,
        invalid_message=_l("Enter an amount in OMR, e.g. 350.000."),
        validators=[InputRequired(message=_l("Enter the day rate in OMR.")), NumberRange(min=0)],
    )
    travel_charged = BooleanField(_l("Charges travel outside the regions served"))
    travel_fee = FiniteDecimalField(
        _l("Flat travel amount (OMR)"),
        places=3,
        invalid_message=_l("Enter an amount in OMR, e.g. 350.000."),
        validators=[Optional(), NumberRange(min=0)],
    )
    lead_time_days = IntegerField(
        _l("Typical lead time (days from order to stage 1)"), validators=[Optional(), NumberRange(min=0, max=3650)]
    )
    active = BooleanField(_l("Active"), default=True)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class AccreditationForm(VersionedForm):
    accreditation_body = SelectField(_l("Accreditation body"), validators=[DataRequired()])
    standard = SelectField(_l("Standard"), validators=[DataRequired()])
    sectors = SelectMultipleField(_l("IAF/EA sectors in scope"), coerce=int)
    number = StringField(
        _l("Accreditation number"), validators=[DataRequired(message=_l("Enter the number.")), Length(max=60)]
    )
    valid_from = DateField(_l("Valid from"), validators=[InputRequired(message=_l("Enter a date."))])
    valid_until = DateField(_l("Valid until"), validators=[InputRequired(message=_l("Enter a date."))])
    status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in ACCREDITATION_STATUSES])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file to upload."))])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
