"""The enquiry as JSON: its shape (marshmallow, which the OpenAPI document is generated from)
and its rules (the website's own EnquiryForm, fed with the JSON's values).

Two steps, so one set of rules: the schema only checks each value's JSON type (text, whole
number, true/false, list, date) and turns it into what a browser would post; the website's
form then applies the same required fields, bounds, choices and messages as on /enquire.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from marshmallow import EXCLUDE, Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from portal.core.enquiry_answers import HEARD_FROM_LABELS, TIMELINE_LABELS
from portal.public.enquiry.forms import UTM_KEYS, UTM_MAX_LENGTH, EnquiryForm
from portal.public.enquiry.services import SOURCE_API, EnquiryData
from portal.public.queries import ReferenceRows, form_choices
from portal.public.scope_fields import MAX_EMPLOYEES, MAX_SITES
from portal.web.problems import ProblemError, field_error

LANGUAGES = ("en", "ar")
# Where an API enquiry's consents were given (the consent record's path).
API_ENQUIRY_PATH = "/api/v1/enquiries"
# The API's field names are the form's, but for `location` (the form calls it `region`).
FORM_NAMES = {"location": "region"}
API_NAMES = {form: api for api, form in FORM_NAMES.items()}

TYPE_MESSAGES = {
    fields.String: _l("Send this value as text."),
    fields.Integer: _l("Send this value as a whole number."),
    fields.Boolean: _l("Send this value as true or false."),
    fields.List: _l('Send a list of standards, such as ["iso-9001"].'),
    fields.Date: _l("Send a date as YYYY-MM-DD, such as 2027-06-30."),
}


def _text(
    description: LazyString, max_length: int | None = None, *, required: bool = False, enum: list[str] | None = None
) -> fields.String:
    """A text field as documented: its meaning, its length bound and its choices, where it has them."""
    metadata: dict[str, Any] = {"description": description}
    if max_length:
        metadata["maxLength"] = max_length
    if enum:
        metadata["enum"] = enum
    return fields.String(required=required, allow_none=not required, metadata=metadata)


class EnquiryIn(Schema):
    """An enquiry sent to POST /api/v1/enquiries."""

    class Meta:
        unknown = EXCLUDE

    contact_name = _text(_l("The person to contact."), 120, required=True)
    email = fields.String(required=True, metadata={"description": _l("Their e-mail address."), "format": "email"})
    phone = _text(_l("Phone number: Omani (9123 4567) or international with +code."))
    company = _text(_l("The organisation's name."), 200, required=True)
    job_title = _text(_l("Their job title."), 120)
    standards = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": _l("Slugs of the standards wanted, at least one, e.g. iso-9001, iso-14001, iso-45001.")
        },
    )
    sector = fields.Integer(allow_none=True, metadata={"description": _l("IAF sector code, 1 to 39.")})
    employees = fields.Integer(
        allow_none=True,
        metadata={"description": _l("People in the management system."), "minimum": 1, "maximum": MAX_EMPLOYEES},
    )
    sites = fields.Integer(
        allow_none=True, metadata={"description": _l("Permanent sites in scope."), "minimum": 1, "maximum": MAX_SITES}
    )
    location = _text(_l("Slug of the Omani governorate or city, e.g. muscat."))
    existing_certifications = _text(_l("Certifications already held."), 300)
    timeline = _text(_l("When they want to be certified."), enum=list(TIMELINE_LABELS))
    wanted_by = fields.Date(allow_none=True, metadata={"description": _l("Date they need the certificate by.")})
    heard_from = _text(_l("How they heard of the firm."), enum=list(HEARD_FROM_LABELS))
    message = _text(_l("Their message."), 5000)
    consent = fields.Boolean(
        required=True, metadata={"description": _l("They agreed to be contacted about this enquiry (must be true).")}
    )
    marketing_consent = fields.Boolean(
        metadata={
            "description": _l("They asked for the firm's marketing e-mails (a separate consent; false when left out).")
        }
    )
    language = _text(
        _l("Language of the acknowledgement e-mail; else Content-Language, else Accept-Language."), enum=list(LANGUAGES)
    )
    utm_source = _text(_l("Campaign source."), UTM_MAX_LENGTH)
    utm_medium = _text(_l("Campaign medium."), UTM_MAX_LENGTH)
    utm_campaign = _text(_l("Campaign name."), UTM_MAX_LENGTH)
    utm_term = _text(_l("Campaign term."), UTM_MAX_LENGTH)
    utm_content = _text(_l("Campaign content."), UTM_MAX_LENGTH)


class EnquiryCreated(Schema):
    """What a created (or replayed) enquiry answers."""

    reference = fields.String(
        required=True, metadata={"description": _l("The enquiry's reference, e.g. ENQ-2026-000123.")}
    )
    status = fields.String(
        required=True, metadata={"description": _l("Public status: received, in_progress, engaged, closed.")}
    )
    status_url = fields.String(
        required=True, metadata={"format": "uri", "description": _l("Where to read its status.")}
    )


class EnquiryStatus(Schema):
    """The public status of an enquiry this key sent."""

    reference = fields.String(required=True)
    received_at = fields.DateTime(required=True, metadata={"description": _l("When it was received (UTC).")})
    status = fields.String(required=True, metadata={"enum": ["received", "in_progress", "engaged", "closed"]})
    status_text = fields.String(
        required=True, metadata={"description": _l("The status in words, in the asked language.")}
    )
    standards = fields.List(
        fields.String(), required=True, metadata={"description": _l("Slugs of the standards asked about.")}
    )


class ApiEnquiryForm(EnquiryForm):
    """The website's enquiry form, filled from JSON: CSRF is the browser's defence, and an API
    client authenticates with its key instead."""

    class Meta:
        csrf = False

    def enquiry(self, language: str) -> EnquiryData:
        """The service's values: no spam check (a key the firm gave is not a bot), consent given through the API."""
        return self.to_data(language, source=SOURCE_API, path=API_ENQUIRY_PATH)


def type_errors(payload: dict[str, Any]) -> list[dict[str, str]]:
    """One problem entry per value of the wrong JSON type (whatever the value, never an exception)."""
    schema = EnquiryIn()
    try:
        schema.load(payload, partial=True)
    except ValidationError as error:
        problems = error.messages if isinstance(error.messages, dict) else {}
        return [field_error(name, _type_message(schema.fields[name])) for name in problems if name in schema.fields]
    return []


def _type_message(field: fields.Field) -> str:
    return str(next(message for kind, message in TYPE_MESSAGES.items() if isinstance(field, kind)))


def form_data(payload: dict[str, Any]) -> MultiDict[str, str]:
    """The JSON's values as the website's form posts them (call after `type_errors` found none)."""
    values = EnquiryIn().load(payload, partial=True)
    posted: MultiDict[str, str] = MultiDict()
    for name, value in values.items():
        form_name = FORM_NAMES.get(name, name)
        if value is None or name == "language":
            continue
        if name == "standards":
            for slug in value:
                posted.add(form_name, slug)
        elif isinstance(value, bool):
            if value:
                posted.add(form_name, "y")
        elif isinstance(value, date):
            posted.add(form_name, value.isoformat())
        else:
            posted.add(form_name, str(value))
    for name in ("timeline", "heard_from", "sector", "region", *UTM_KEYS):
        posted.setdefault(name, "")  # a select left on its placeholder, as a browser sends it
    return posted


def form_errors(form: EnquiryForm) -> list[dict[str, str]]:
    """The form's first message per invalid field, under the API's name for it."""
    return [
        field_error(API_NAMES.get(name, name), str(messages[0])) for name, messages in form.errors.items() if messages
    ]


def language_errors(payload: dict[str, Any]) -> list[dict[str, str]]:
    if payload.get("language") in (None, "", *LANGUAGES):
        return []
    return [field_error("language", _("Choose en (English) or ar (Arabic)."))]


def validated_form(payload: dict[str, Any], rows: ReferenceRows) -> ApiEnquiryForm:
    """The website's form filled with the JSON and checked by its rules; a 422 problem listing
    every invalid field otherwise (wrong JSON types first, as nothing else can be read from them)."""
    if errors := type_errors(payload):
        raise ProblemError(422, _("Some fields have values of the wrong type."), kind="validation", errors=errors)
    form = ApiEnquiryForm(formdata=form_data(payload))
    form.set_choices(*form_choices(rows))
    valid = form.validate()
    errors = form_errors(form) + language_errors(payload)
    if not valid or errors:
        raise ProblemError(422, _("Some fields need attention."), kind="validation", errors=errors)
    return form
