"""The checks of a visitor's e-mail address and phone number, the same on every public form
that asks how to reach them (the enquiry, a request about one's personal data)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, TelField, ValidationError

from portal.domain.normalise import PhoneNumberError, normalise_phone


class ContactChecks:
    """WTForms inline checks for the form's `email` and `phone` fields (a mixin before FlaskForm).

    The address's syntax only (no DNS look-up: a visitor is never kept waiting on the network);
    the phone as the leads store it (Omani numbers without their +968)."""

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
