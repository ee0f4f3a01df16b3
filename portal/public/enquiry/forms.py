"""The enquiry form: fields, bounds, field-level messages, choices from reference data."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.core.clock import today_in_oman
from portal.core.enquiry_answers import HEARD_FROM_LABELS, TIMELINE_LABELS
from portal.domain.normalise import clean_line, clean_text
from portal.public.contact_fields import ContactChecks
from portal.public.enquiry.services import SOURCE_FORM, EnquiryData
from portal.public.scope_fields import (
    ScopeChoices,
    employees_field,
    region_field,
    sector_field,
    sites_field,
    standards_field,
    with_placeholder,
)

MAX_YEARS_AHEAD = 3
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
UTM_MAX_LENGTH = 100


def _line(max_length: int | None = None):
    """A WTForms filter: one clean line (None becomes empty), capped only for hidden fields."""
    return partial(clean_line, max_length=max_length)


class EnquiryForm(ContactChecks, ScopeChoices, FlaskForm):
    """What a prospective client tells us. Choices for sector, region and standards are set per request."""

    contact_name = StringField(
        _l("Your name"),
        filters=[_line()],
        validators=[DataRequired(_l("Tell us your name.")), Length(max=120)],
    )
    email = EmailField(
        _l("Work e-mail"),
        filters=[_line()],
        validators=[DataRequired(_l("Tell us your e-mail address.")), Length(max=254)],
    )
    phone = TelField(_l("Phone"), filters=[_line()], validators=[Optional()])
    company = StringField(
        _l("Company"),
        filters=[_line()],
        validators=[DataRequired(_l("Tell us your company's name.")), Length(max=200)],
    )
    job_title = StringField(_l("Job title (optional)"), filters=[_line()], validators=[Optional(), Length(max=120)])
    # Only what is needed to answer is required (issue 18): the rest helps us prepare.
    sector = sector_field(required=False)
    employees = employees_field(required=False)
    sites = sites_field(required=False)
    region = region_field(required=False)
    standards = standards_field(_l("Standards you are interested in"))
    existing_certifications = StringField(
        _l("Certifications you already hold (optional)"),
        filters=[_line()],
        validators=[Optional(), Length(max=300)],
    )
    timeline = SelectField(
        _l("When would you like to be certified?"),
        choices=with_placeholder(_l("Choose a timeline"), TIMELINE_LABELS.items()),
        invalid_choice_message=_l("Choose a timeline from the list."),
    )
    wanted_by = DateField(
        _l("Or a date you need the certificate by (optional)"),
        validators=[Optional()],
    )
    heard_from = SelectField(
        _l("How did you hear of us?"),
        choices=with_placeholder(_l("Choose one"), HEARD_FROM_LABELS.items()),
        validators=[Optional()],
        invalid_choice_message=_l("Choose an answer from the list."),
    )
    message = TextAreaField(
        _l("Message (optional)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=5000)],
    )
    consent = BooleanField(
        _l("I agree to be contacted about this enquiry."),
        validators=[DataRequired(_l("We need your consent to contact you about your enquiry."))],
    )
    # Its own box, never ticked in advance: agreeing to be contacted is not agreeing to marketing.
    marketing_consent = BooleanField(
        _l("Also send me news and offers by e-mail (optional, you can stop them at any time).")
    )

    form_token = HiddenField()
    attachment = HiddenField(filters=[_line(8000)])
    utm_source = HiddenField(filters=[_line(UTM_MAX_LENGTH)])
    utm_medium = HiddenField(filters=[_line(UTM_MAX_LENGTH)])
    utm_campaign = HiddenField(filters=[_line(UTM_MAX_LENGTH)])
    utm_term = HiddenField(filters=[_line(UTM_MAX_LENGTH)])
    utm_content = HiddenField(filters=[_line(UTM_MAX_LENGTH)])
    # Honeypot: hidden from people and screen readers; bots fill it in.
    website = StringField(_l("Leave this field empty"), filters=[_line()])

    def validate_wanted_by(self, field: DateField) -> None:
        if field.data is None:
            return
        today = today_in_oman()
        if field.data <= today:
            raise ValidationError(_l("Choose a date in the future."))
        if field.data > today + timedelta(days=365 * MAX_YEARS_AHEAD + 1):
            raise ValidationError(_l("Choose a date within the next three years."))

    def to_data(
        self,
        language: str,
        *,
        source: str = SOURCE_FORM,
        path: str = "",
        submission_token: str | None = None,
        attachments: dict[str, dict[str, Any]] | None = None,
        spam_reason: str | None = None,
    ) -> EnquiryData:
        """Explicit mapping from the validated form to the service's plain values; the website
        and the API differ only in what the keyword arguments say about where it came from."""
        return EnquiryData(
            contact_name=self.contact_name.data,
            email=self.email.data,
            phone=self.phone.data,
            company=self.company.data,
            job_title=self.job_title.data,
            sector_code=int(self.sector.data) if self.sector.data else None,
            employees=self.employees.data,
            sites=self.sites.data,
            region_slug=self.region.data,
            standard_slugs=tuple(self.standards.data),
            existing_certifications=self.existing_certifications.data,
            timeline=self.timeline.data,
            wanted_by=self.wanted_by.data,
            heard_from=self.heard_from.data,
            message=self.message.data,
            consent=self.consent.data,
            marketing_consent=self.marketing_consent.data,
            path=path,
            language=language,
            utm=self.utm(),
            submission_token=submission_token,
            attachments=attachments or {},
            spam_reason=spam_reason,
            source=source,
        )

    def utm(self) -> dict[str, str]:
        """The UTM parameters the visitor arrived with (only those given)."""
        return {key: getattr(self, key).data for key in UTM_KEYS if getattr(self, key).data}
