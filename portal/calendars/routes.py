"""The calendar feed (opened by a calendar app with the secret link, no session) and an
engagement's `.ics` download (staff)."""

from __future__ import annotations

from flask import Response, abort, current_app
from flask.typing import ResponseReturnValue

from portal.auth.calendar_feeds import feed_for_token
from portal.auth.session import staff_required
from portal.calendars import bp, services
from portal.calendars.ical import CONTENT_TYPE
from portal.extensions import db, limiter
from portal.models import Engagement
from portal.web.downloads import attachment_headers
from portal.web.security import PRIVATE_CACHE_CONTROL

feed_rate_limit = limiter.limit(lambda: current_app.config["CALENDAR_FEED_RATE_LIMIT"])


def _calendar(body: bytes, headers: dict[str, str] | None = None) -> Response:
    response = Response(body, content_type=CONTENT_TYPE, headers=headers)
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/calendar/<token>.ics")
@feed_rate_limit
def feed(token: str) -> ResponseReturnValue:
    """A calendar app's subscription: an unknown or revoked link is a plain 404."""
    calendar_feed = feed_for_token(token) or abort(404)
    return _calendar(services.feed_calendar(calendar_feed))


@bp.get("/app/engagements/<int:id>/calendar.ics")
@staff_required
def engagement_ics(id: int) -> ResponseReturnValue:
    engagement = db.session.get(Engagement, id) or abort(404)
    body = services.engagement_calendar(engagement)
    return _calendar(body, attachment_headers(f"engagement-{engagement.id}.ics"))


@bp.get("/app/engagements/<int:id>/next-audit.ics")
@staff_required
def next_audit_ics(id: int) -> ResponseReturnValue:
    """One event to add by hand: the engagement's next planned audit (404 when there is none)."""
    engagement = db.session.get(Engagement, id) or abort(404)
    body = services.next_audit_calendar(engagement) or abort(404)
    return _calendar(body, attachment_headers(f"engagement-{engagement.id}-next-audit.ics"))
