"""The one helper every service calls to write an audit-log row."""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request

from portal.extensions import db
from portal.models import AuditLog, User

logger = logging.getLogger(__name__)


def client_ip() -> str:
    """The caller's address (the real client's behind TRUSTED_PROXIES proxies, see trust_proxies)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(
    action: str,
    actor: User | None = None,
    subject: Any = None,
    details: dict[str, Any] | None = None,
    actor_email: str | None = None,
) -> AuditLog:
    """Add an audit row to the current transaction (flushed with the caller's changes).

    `subject` is any model with an `id`; its table name is stored as the subject type.
    `actor_email` records who tried when there is no user (e.g. a failed login).
    """
    row = AuditLog(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_email=(actor.email if actor is not None else actor_email or "")[:254],
        subject_type=getattr(subject, "__tablename__", "") if subject is not None else "",
        subject_id=getattr(subject, "id", None) if subject is not None else None,
        ip=client_ip()[:64],
        details=details or {},
    )
    db.session.add(row)
    logger.info("audit %s by %s on %s:%s", action, row.actor_email or "anonymous", row.subject_type, row.subject_id)
    return row


def changed_values(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [before, after] for the fields of two snapshots that differ: what an update
    row records, so a reader sees the change and not the whole record."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
