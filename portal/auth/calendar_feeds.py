"""Private calendar links: each is a random token whose SHA-256 alone is stored.

A consultant has one link to their own engagements' dates; an admin may also have one to
the whole firm's. Issuing a link again replaces the stored hash (the old link answers 404
from then on); revoking deletes it. A link stops working too when its user is deactivated,
and a firm link when its user is no longer an admin.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import CalendarFeed, FeedScope, User

logger = logging.getLogger(__name__)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scopes_for(user: User) -> tuple[FeedScope, ...]:
    """The feeds this user may hold: their own, and the firm's for an admin."""
    return (FeedScope.OWN, FeedScope.FIRM) if user.is_admin else (FeedScope.OWN,)


def feeds_of(user: User) -> dict[str, CalendarFeed]:
    """The user's live feeds by scope (only when each was made is known: the link is not kept)."""
    rows = db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    return {row.scope: row for row in rows}


def issue_feed(user: User, scope: str) -> str:
    """Make (or replace) the user's link for `scope` and return its token, which is never stored."""
    if scope not in scopes_for(user):
        raise ServiceError(_("Only admins have a calendar of the whole firm."))
    token = secrets.token_urlsafe(32)
    feed = feeds_of(user).get(scope) or CalendarFeed(user_id=user.id, scope=scope)
    replaced = feed.id is not None
    feed.token_hash = token_digest(token)
    db.session.add(feed)
    audit.record("calendar.link_issued", user, user, {"scope": scope, "replaced": replaced})
    db.session.flush()
    logger.info("calendar link (%s) issued to %s", scope, user.email)
    return token


def revoke_feed(user: User, scope: str) -> None:
    """Stop the user's link for `scope` from working."""
    feed = feeds_of(user).get(scope)
    if feed is None:
        raise ServiceError(_("There is no calendar link to revoke."))
    db.session.delete(feed)
    audit.record("calendar.link_revoked", user, user, {"scope": scope})
    db.session.flush()
    logger.info("calendar link (%s) of %s revoked", scope, user.email)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed `token` opens, or None (unknown, revoked, user deactivated or no longer admin)."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_digest(token)))
    if feed is None or not feed.user.active or feed.scope not in scopes_for(feed.user):
        return None
    return feed
