"""Forms of the admins' personal-data pages: who a request is about, a correction, an erasure, the
retention periods; the breach register, a request's status, the notice text."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.domain.normalise import PhoneNumberError, clean_line, clean_text, normalise_phone
from portal.domain.personal_data import RETENTION_LIMITS, Identifiers, identifiers_from
from portal.domain.working_days import MUSCAT
from portal.privacy.presentation import REQUEST_STATUS_LABELS


class _OnePerson:
    """An e-mail address or a phone number (or both) that the leads could be stored under."""

    email: Field
    phone: Field

    def validate_phone(self, field: Field) -> None:
        if field.data:
            try:
                normalise_phone(field.data)
            except PhoneNumberError as error:
                raise ValidationError(_l("Enter a valid phone number, e.g. +968 9123 4567.")) from error

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        if valid and not (self.email.data or self.phone.data):
            self.email.errors = [*self.email.errors, _l("Enter the person's e-mail address or phone number.")]
            return False
        return valid

    def identifiers(self) -> Identifiers:
        """The person, normalised as the leads are (call after a successful validation)."""
        return identifiers_from(self.email.data, self.phone.data)


class PersonForm(_OnePerson, FlaskForm):
    """The person a request is about: an e-mail address, a phone number, or both."""

    email = EmailField(_l("E-mail address"), validators=[Optional(), Email(), Length(max=254)], filters=[clean_line])
    phone = TelField(_l("Phone number"), validators=[Optional(), Length(max=40)], filters=[clean_line])


class PersonActionForm(_OnePerson, FlaskForm):
    """An action on the person looked up (export, correct, erase): who it is rides in hidden fields."""

    email = HiddenField(validators=[Optional(), Email(), Length(max=254)], filters=[clean_line])
    phone = HiddenField(validators=[Optional(), Length(max=40)], filters=[clean_line])

    @classmethod
    def for_person(cls, identifiers: Identifiers) -> PersonActionForm:
        """The hidden fields for the person found, in the normalised form the search used."""
        data = {"email": next(iter(identifiers.emails), ""), "phone": next(iter(identifiers.phones), "")}
        return cls(formdata=None, data=data)


class CorrectionForm(PersonActionForm):
    """The corrected values; a field left empty stays as it is."""

    new_name = StringField(_l("Correct name"), validators=[Optional(), Length(max=120)], filters=[clean_line])
    new_email = EmailField(
        _l("Correct e-mail address"), validators=[Optional(), Email(), Length(max=254)], filters=[clean_line]
    )
    new_phone = TelField(_l("Correct phone number"), validators=[Optional(), Length(max=40)], filters=[clean_line])
    new_company = StringField(_l("Correct company"), validators=[Optional(), Length(max=200)], filters=[clean_line])


class ErasureForm(PersonActionForm):
    confirm = BooleanField(
        _l("I understand that the person's data is erased for good and cannot be brought back."),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )


def _period(label, name: str) -> IntegerField:
    low, high = RETENTION_LIMITS[name]
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=low, max=high)])


class RetentionForm(FlaskForm):
    """How long finished records keep their personal data."""

    spam_days = _period(_l("Spam leads: keep for (days)"), "spam_days")
    unqualified_months = _period(_l("Unqualified leads: keep for (months)"), "unqualified_months")
    closed_engagement_years = _period(_l("Closed engagements: keep for (years)"), "closed_engagement_years")


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
