"""What every reminder rule shares: who receives it, and claiming its key so it goes out once.

A reminder is keyed by its kind, its subject and the due date it warns of (the
Reminder table's unique key). Claiming inserts that row in a SAVEPOINT: a second run,
or a concurrent one, finds the key taken and sends nothing.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Reminder, User


def recipient_for(owner: User | None) -> str | None:
    """The owner; without an active owner, the consultants' shared address (first of NOTIFY_EMAILS)."""
    if owner is not None and owner.active and owner.email:
        return owner.email
    fallback = current_app.config.get("NOTIFY_EMAILS") or []
    return fallback[0] if fallback else None


def claim(kind: str, subject_type: str, subject_id: int, due_date: date, recipient: str) -> bool:
    """Insert the reminder's key; False when it was already taken."""
    try:
        with db.session.begin_nested():
            db.session.add(
                Reminder(
                    kind=kind,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    due_date=due_date,
                    recipient=recipient,
                )
            )
    except IntegrityError:
        return False
    return True
