"""The public privacy-request form: who asks, what for, and the enquiry form's spam defences."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, StringField, TelField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.domain.normalise import clean_line, clean_text
from portal.privacy.presentation import REQUEST_KIND_LABELS
from portal.public.contact_fields import ContactChecks


class PrivacyRequestForm(ContactChecks, FlaskForm):
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
