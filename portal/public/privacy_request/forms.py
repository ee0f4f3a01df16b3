"""The public privacy-request form: who asks, what for, and the enquiry form's spam defences."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, StringField, TelField, TextAreaField, ValidationError
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.domain.normalise import PhoneNumberError, clean_line, clean_text, normalise_phone
from portal.privacy.presentation import REQUEST_KIND_LABELS


class PrivacyRequestForm(FlaskForm):
    name = StringField(
        _l("Your name"), filters=[clean_line], validators=[DataRequired(_l("Tell us your name.")), Length(max=120)]
    )
    email = EmailField(
        _l("E-mail address"),
        filters=[clean_line],
        validators=[DataRequired(_l("Tell us your e-mail address.")), Length(max=254)],
    )
    phone = TelField(_l("Phone (optional)"), filters=[clean_line], validators=[Optional()])
    kind = RadioField(
        _l("What are you asking for?"),
        choices=[SelectChoice(value, label) for value, label in REQUEST_KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose what you are asking for."))],
        invalid_choice_message=_l("Choose what you are asking for."),
    )
    details = TextAreaField(
        _l("Details"),
        filters=[clean_text],
        validators=[DataRequired(_l("Tell us what your request is about.")), Length(max=5000)],
    )
    form_token = HiddenField()
    # Honeypot: hidden from people and screen readers; bots fill it in.
    website = StringField(_l("Leave this field empty"), filters=[clean_line])

    def validate_email(self, field: EmailField) -> None:
        if not field.data:
            return
        try:
            validate_email(field.data, check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(_l("Enter a valid e-mail address, like name@company.om.")) from error

    def validate_phone(self, field: TelField) -> None:
        if not field.data:
            return
        try:
            normalise_phone(field.data)
        except PhoneNumberError as error:
            raise ValidationError(
                _l("Enter a valid phone number, like 9123 4567 or +968 2412 3456 (other countries with +code).")
            ) from error
