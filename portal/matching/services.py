"""The engagement's shortlist of certification bodies: add and remove, with a timeline entry.

Both flush and never commit; a second click (or two people at once) changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Activity, CertificationBody, Engagement, ShortlistEntry, User


def shortlisted_ids(engagement_id: int) -> set[int]:
    """The bodies on the engagement's shortlist (the match page marks them, quotes preselects them)."""
    rows = db.session.scalars(
        select(ShortlistEntry.certification_body_id).where(ShortlistEntry.engagement_id == engagement_id)
    )
    return set(rows)


def _log(engagement: Engagement, body: CertificationBody, actor: User, action: str) -> None:
    db.session.add(
        Activity(
            engagement_id=engagement.id,
            author=actor,
            kind="shortlist",
            body=body.name,
            details={"action": action, "certification_body_id": body.id},
        )
    )


def add(engagement: Engagement, body: CertificationBody, actor: User) -> bool:
    """Put the body on the shortlist; False when it already was (a second click changes nothing)."""
    if db.session.get(ShortlistEntry, (engagement.id, body.id)) is not None:
        return False
    try:
        with db.session.begin_nested():  # someone adding it at the same moment: it is on the list either way
            db.session.add(
                ShortlistEntry(engagement_id=engagement.id, certification_body_id=body.id, added_by_id=actor.id)
            )
    except IntegrityError:
        return False
    _log(engagement, body, actor, "added")
    db.session.flush()
    return True


def remove(engagement: Engagement, body: CertificationBody, actor: User) -> bool:
    """Take the body off the shortlist; False when it was not on it."""
    entry = db.session.get(ShortlistEntry, (engagement.id, body.id))
    if entry is None:
        return False
    db.session.delete(entry)
    _log(engagement, body, actor, "removed")
    db.session.flush()
    return True
