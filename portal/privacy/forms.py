"""Forms of the personal-data page: who the request is about, a correction, an erasure, the retention periods."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, HiddenField, IntegerField, StringField, TelField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.domain.normalise import PhoneNumberError, clean_line, normalise_phone
from portal.domain.personal_data import RETENTION_LIMITS, Identifiers, identifiers_from


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
