"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`).

One shape for every refusal an API client can meet, from a field left empty to a database
that is down: `type`, `title`, `status`, `detail`, and for invalid input an `errors` list with
one entry per field (`name`, its JSON `pointer`, and a `message` in the client's language).
The error pages of portal/web/errors.py answer with these for any path under API_PREFIX,
so even a route the API does not have, or a wrong method, is answered as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Response, request
from flask_babel import lazy_gettext as _l

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# `type` URIs name the kind of problem (RFC 9457 §3.1.1); "about:blank" when the status says it all.
PROBLEM_TYPES = {
    "validation": "/api/v1/problems/validation",
    "idempotency-conflict": "/api/v1/problems/idempotency-conflict",
}

TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Not allowed for this key"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Request body too large"),
    415: _l("Unsupported media type"),
    422: _l("Unprocessable content"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
    503: _l("Temporarily unavailable"),
}


class ProblemError(Exception):
    """Raised by an API view or hook to answer with a problem document instead of a result."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        kind: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or str(status))
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = errors
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return problem_response(self.status, self.detail, kind=self.kind, errors=self.errors, headers=self.headers)


def field_error(name: str, message: str) -> dict[str, str]:
    """One invalid field: its name, a JSON pointer into the request body, and what is wrong."""
    return {"name": name, "pointer": f"/{name}", "message": str(message)}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    kind: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES.get(kind or "", "about:blank"),
        "title": str(TITLES.get(status, TITLES[500 if status >= 500 else 400])),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers or {})
    return response
