"""The API's views: send an enquiry, read its status, and the API's own description."""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import IntegrityError

from portal.api import bp, services
from portal.api.auth import api_rate_limit, current_key, open_to_all, requires_scope
from portal.api.forms import validated_form
from portal.api.http import (
    acknowledgement_language,
    answer_response,
    idempotency_claim,
    read_json_object,
    run_api_action,
)
from portal.api.openapi import build_document, json_body, operation, problem
from portal.api.presentation import reference_sections, status_body
from portal.api.services import Answer, IdempotencyClaim
from portal.core.api_keys import ENQUIRIES_READ, ENQUIRIES_WRITE
from portal.extensions import db
from portal.public.queries import reference_rows
from portal.web.problems import ProblemError

CREATE = {
    "summary": _l("Send an enquiry"),
    "description": _l("Creates a lead in the inbox, as the website's form does, and acknowledges it by e-mail."),
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 255},
            "description": LazyString(
                lambda: ngettext(
                    "Retrying with the same key and body returns the first answer (kept %(num)d hour).",
                    "Retrying with the same key and body returns the first answer (kept %(num)d hours).",
                    current_app.config["API_IDEMPOTENCY_HOURS"],
                )
            ),
        },
        {
            "name": "Content-Language",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": _l("Language of the acknowledgement (en or ar) when the body has no `language`."),
        },
    ],
    "requestBody": {"required": True, "content": {"application/json": {"schema": "EnquiryIn"}}},
    "responses": {
        "201": {
            **json_body("EnquiryCreated", _l("Received.")),
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        "400": problem(_l("The body is not a JSON object, or the Idempotency-Key is malformed.")),
        "413": problem(_l("The body is too large.")),
        "415": problem(_l("The body is not JSON.")),
        "422": problem(
            _l("Invalid fields (one entry each in `errors`), or an Idempotency-Key reused with another body.")
        ),
    },
}
STATUS = {
    "summary": _l("Read an enquiry's status"),
    "description": _l("Only for the key that sent the enquiry; any other key is answered 404."),
    "parameters": [
        {
            "name": "reference",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "description": _l("The enquiry's reference, e.g. ENQ-2026-000123."),
        }
    ],
    "responses": {
        "200": json_body("EnquiryStatus", _l("The enquiry's public status.")),
        "404": problem(_l("No such enquiry for this key.")),
    },
}


def _replay(claim: IdempotencyClaim | None) -> Answer | None:
    """The first answer to this key's request with the same Idempotency-Key, if one was given and kept."""
    return run_api_action(lambda: services.earlier_answer(current_key(), claim)) if claim else None


@bp.post("/enquiries")
@api_rate_limit
@requires_scope(ENQUIRIES_WRITE)
@operation(CREATE, scope=ENQUIRIES_WRITE)
def create_enquiry() -> ResponseReturnValue:
    payload = read_json_object()
    claim = idempotency_claim(payload)
    if earlier := _replay(claim):
        return answer_response(earlier)
    rows = reference_rows()
    data = validated_form(payload, rows).enquiry(acknowledgement_language(payload))
    try:
        return answer_response(run_api_action(lambda: services.receive_enquiry(current_key(), data, claim, rows)))
    except IntegrityError:
        # The same Idempotency-Key sent at the same moment: the twin's insert won, so its answer is ours.
        db.session.rollback()
        if earlier := _replay(claim):
            return answer_response(earlier)
        raise


@bp.get("/enquiries/<reference>")
@api_rate_limit
@requires_scope(ENQUIRIES_READ)
@operation(STATUS, scope=ENQUIRIES_READ)
def enquiry_status(reference: str) -> ResponseReturnValue:
    lead = services.enquiry_of_key(current_key(), reference)
    if lead is None:
        raise ProblemError(404, _("No enquiry with this reference was sent with this API key."))
    return status_body(lead)


@bp.get("/openapi.json")
@open_to_all
@operation(
    {"summary": _l("This API's OpenAPI 3.1 document"), "responses": {"200": {"description": _l("The document.")}}}
)
def openapi_document() -> ResponseReturnValue:
    """In English whoever asks: tools and diffs read one document; the reference page is the one
    in the reader's language."""
    with force_locale("en"):
        return build_document(current_app)


@bp.get("/docs")
@open_to_all
@operation(
    {"summary": _l("This API's reference, as a page"), "responses": {"200": {"description": _l("An HTML page.")}}}
)
def reference_page() -> ResponseReturnValue:
    document = build_document(current_app)
    return render_template("api/reference.html", document=document, sections=reference_sections(document))


@bp.errorhandler(ProblemError)
def problem_raised(error: ProblemError) -> ResponseReturnValue:
    return error.response()
