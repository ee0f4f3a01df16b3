"""Reading an API request and writing its answer: the JSON body (its media type, size and
syntax checked, each refusal a problem), the Idempotency-Key, the acknowledgement's language,
and the one commit of a use case."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from portal.api.forms import API_NAMES, LANGUAGES
from portal.api.services import Answer, IdempotencyClaim, IdempotencyConflictError
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.web.languages import preferred_language
from portal.web.problems import ProblemError, field_error

Result = TypeVar("Result")

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as Stripe and the IETF draft allow


def read_json_object() -> dict[str, Any]:
    """The request's body as a JSON object, or a problem: 415 not JSON, 413 too large, 400 malformed."""
    if not request.is_json:
        raise ProblemError(415, _("Send the body as JSON, with the header Content-Type: application/json."))
    limit = current_app.config["API_MAX_BODY_BYTES"]
    request.max_content_length = limit
    try:
        payload = request.get_json()
    except RequestEntityTooLarge:
        raise ProblemError(413, _("Send at most %(count)d bytes.", count=limit)) from None
    except BadRequest:
        raise ProblemError(400, _("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise ProblemError(400, _("Send one JSON object, with the fields as its members."))
    return payload


def idempotency_claim(payload: dict[str, Any]) -> IdempotencyClaim | None:
    """The request's Idempotency-Key with a digest of its body; None when it was sent without one."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ProblemError(400, _("Send an Idempotency-Key of 1 to 255 visible ASCII characters, such as a UUID."))
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return IdempotencyClaim(key, hashlib.sha256(canonical.encode()).hexdigest())


def acknowledgement_language(payload: dict[str, Any]) -> str:
    """The body's `language`, else the Content-Language header's, else Accept-Language's, else the default."""
    if payload.get("language") in LANGUAGES:
        return payload["language"]
    declared = [part.strip().lower().split("-")[0] for part in request.headers.get("Content-Language", "").split(",")]
    chosen = next((language for language in declared if language in LANGUAGES), None)
    return chosen or preferred_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def run_api_action(action: Callable[[], Result]) -> Result:
    """Run one use case and commit once; a refusal rolls back and becomes a 422 problem."""
    try:
        result = action()
        db.session.commit()
    except IdempotencyConflictError as error:
        db.session.rollback()
        raise ProblemError(422, error.message, kind="idempotency-conflict") from None
    except ServiceError as error:
        db.session.rollback()
        errors = [field_error(API_NAMES.get(name, name), message) for name, message in error.errors.items() if name]
        raise ProblemError(
            error.status if error.status != 400 else 422, error.message, kind="validation", errors=errors
        ) from None
    return result


def answer_response(answer: Answer) -> Response:
    response = current_app.json.response(answer.body)
    response.status_code = answer.status
    if answer.location:
        response.headers["Location"] = answer.location
    return response
