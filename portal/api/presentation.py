"""What an API client is told about an enquiry: its status in public words, never the inbox's.

A lead's statuses (new, contacted, ...) are the office's working states; a client sees four
stable codes, with a sentence in the asked language. A merged duplicate answers with the
status of the lead it was merged into.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain import lead_status
from portal.models import Lead

PUBLIC_STATUS = {
    lead_status.NEW: "received",
    lead_status.CONTACTED: "in_progress",
    lead_status.QUALIFIED: "in_progress",
    lead_status.CONVERTED: "engaged",
    lead_status.UNQUALIFIED: "closed",
    lead_status.SPAM: "closed",
}
STATUS_TEXT = {
    "received": _l("Received: a consultant will contact you within two working days."),
    "in_progress": _l("In progress: a consultant is preparing an answer with you."),
    "engaged": _l("Engaged: the enquiry became a certification project."),
    "closed": _l("Closed."),
}


def public_status(lead: Lead) -> str:
    followed = lead.duplicate_of or lead
    return PUBLIC_STATUS.get(lead_status.LeadStatus(followed.status), "closed")


def created_body(lead: Lead, status_url: str) -> dict[str, Any]:
    """The JSON a created enquiry answers (and a replay repeats word for word)."""
    return {"reference": lead.reference, "status": public_status(lead), "status_url": status_url}


def status_body(lead: Lead) -> dict[str, Any]:
    status = public_status(lead)
    return {
        "reference": lead.reference,
        "received_at": lead.created_at.isoformat(),
        "status": status,
        "status_text": str(STATUS_TEXT[status]),
        "standards": [standard.slug for standard in lead.standards],
    }


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class OperationDoc:
    """One operation of the OpenAPI document, as the reference page lists it."""

    method: str
    path: str
    summary: str
    description: str
    scope: str
    parameters: list[FieldDoc]
    body: list[FieldDoc]
    responses: list[tuple[str, str]]


def _type(schema: dict[str, Any]) -> str:
    """A schema's type in a few characters: "string", "integer", "array of string", "one of: a, b"."""
    if "enum" in schema:
        return _("one of: %(values)s", values=", ".join(str(value) for value in schema["enum"]))
    kind = schema.get("type", "object")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    text = " | ".join(kinds)
    if "array" in kinds:
        text = _("array of %(type)s", type=_type(schema.get("items", {})))
    return text + (f" ({schema['format']})" if "format" in schema else "")


def _fields(schema: dict[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    return [
        FieldDoc(name, _type(field), name in required, field.get("description", ""))
        for name, field in schema.get("properties", {}).items()
    ]


def _schema(document: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    reference = next(iter(content.values()), {}).get("schema", {}).get("$ref", "")
    return document["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {})


def reference_sections(document: dict[str, Any]) -> list[OperationDoc]:
    """Every operation of the document, in path order, with its parameters, body fields and answers."""
    sections = []
    for path, operations in document["paths"].items():
        for method, spec in operations.items():
            body = spec.get("requestBody", {}).get("content", {})
            security = spec.get("security", [{}])[0]
            sections.append(
                OperationDoc(
                    method=method.upper(),
                    path=path,
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    scope=", ".join(scope for scopes in security.values() for scope in scopes),
                    parameters=[
                        FieldDoc(
                            p["name"],
                            f"{p['in']}: {_type(p.get('schema', {}))}",
                            p.get("required", False),
                            p.get("description", ""),
                        )
                        for p in spec.get("parameters", [])
                    ],
                    body=_fields(_schema(document, body)) if body else [],
                    responses=[
                        (code, answer.get("description", "")) for code, answer in spec.get("responses", {}).items()
                    ],
                )
            )
    return sections
