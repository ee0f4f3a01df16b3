"""The API's OpenAPI 3.1 document, generated from the code by apispec.

Paths come from the blueprint's URL rules (apispec-webframeworks' FlaskPlugin), request and
response bodies from the marshmallow schemas that check them (portal/api/forms.py), and
each operation's summary, scope and answers from the `@operation(...)` next to its view. Every
view of the blueprint is in the document, documented or not, so none can be left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.api.forms import EnquiryCreated, EnquiryIn, EnquiryStatus
from portal.core.firm import current_firm
from portal.web.problems import PROBLEM_MEDIA_TYPE

View = TypeVar("View", bound=Callable[..., Any])

API_VERSION = "1.0.0"
DESCRIPTION = _l(
    "Send enquiries from the firm's other websites into the portal's inbox, with the same checks, "
    "scoring and e-mails as the website's enquiry form, and read their status. Authenticate with an "
    "API key (`Authorization: Bearer <key>`) an admin created. Errors are problem details "
    "(RFC 9457, `application/problem+json`), with one entry per invalid field in `errors`. "
    "Send an `Idempotency-Key` header to make a retried POST return the first answer."
)

PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": _l("A URI naming the kind of problem, or about:blank.")},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": _l("One entry per invalid field."),
            "items": {
                "type": "object",
                "required": ["name", "pointer", "message"],
                "properties": {
                    "name": {"type": "string"},
                    "pointer": {"type": "string", "description": _l("JSON pointer into the request body.")},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def problem(description: LazyString) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem"}}}


def json_body(schema: str, description: LazyString) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


KEY_PROBLEMS = {
    "401": problem(_l("No key, or an unknown or revoked one.")),
    "403": problem(_l("The key lacks the scope this operation needs.")),
    "429": problem(_l("Too many requests for this key: wait the Retry-After header's seconds.")),
}


def _with_scope(description: LazyString | None, scope: str) -> LazyString:
    """The operation's description followed by the scope its key needs, in the reader's language."""
    needs = _l("Needs a key with the scope `%(scope)s`.", scope=scope)
    return LazyString(lambda: "\n\n".join(str(text) for text in (description, needs) if text))


def _plain(value: Any) -> Any:
    """The document with every translatable text written out in the language in force."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, LazyString) else value


def operation(spec: dict[str, Any], scope: str | None = None) -> Callable[[View], View]:
    """Document the view's operation (its OpenAPI operation object; `scope`: the key's scope it needs)."""

    def decorator(view: View) -> View:
        document = dict(spec)
        if scope is not None:
            document["security"] = [{"apiKey": [scope]}]
            document["responses"] = {**document.get("responses", {}), **KEY_PROBLEMS}
            document["description"] = _with_scope(document.get("description"), scope)
        view.openapi_operation = document  # type: ignore[attr-defined]
        return view

    return decorator


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every view of the API blueprint, its texts in the language in force."""
    spec = APISpec(
        title=_("%(firm)s intake API", firm=current_firm().name),
        version=API_VERSION,
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": DESCRIPTION},
        servers=[{"url": app.config["PUBLIC_BASE_URL"].rstrip("/")}],
    )
    spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer", "description": _l("An API key.")})
    spec.components.schema("EnquiryIn", schema=EnquiryIn)
    spec.components.schema("EnquiryCreated", schema=EnquiryCreated)
    spec.components.schema("EnquiryStatus", schema=EnquiryStatus)
    spec.components.schema("Problem", PROBLEM)
    for endpoint, view in sorted(app.view_functions.items()):
        if not endpoint.startswith("api."):
            continue
        rule = next(app.url_map.iter_rules(endpoint))
        method = min(set(rule.methods or ()) - {"HEAD", "OPTIONS"})
        documented = getattr(view, "openapi_operation", {"summary": endpoint})
        spec.path(view=view, app=app, operations={method.lower(): {"operationId": endpoint, **documented}})
    return _plain(spec.to_dict())
