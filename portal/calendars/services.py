"""The calendars' one use case: draw a calendar (reads only; nothing here writes)."""

from __future__ import annotations

from flask_babel import force_locale

from portal.calendars.ical import to_ical
from portal.calendars.presentation import calendar_entries, engagement_entries, feed_name
from portal.calendars.queries import engagements_of, open_quotes_of
from portal.core.clock import today_in_oman
from portal.core.firm import current_firm
from portal.domain.calendar import next_audit
from portal.models import CalendarFeed, Engagement, FeedScope


def feed_calendar(feed: CalendarFeed) -> bytes:
    """A feed's calendar, in its owner's language: their engagements, or the firm's."""
    whole_firm = feed.scope == FeedScope.FIRM
    engagements = engagements_of(None if whole_firm else feed.user_id)
    quotes = open_quotes_of([engagement.id for engagement in engagements])
    firm = current_firm().name
    with force_locale(feed.user.locale):
        entries = calendar_entries(engagements, quotes, today_in_oman())
        return to_ical(entries, feed_name(firm, whole_firm, feed.user.name), firm)


def engagement_calendar(engagement: Engagement) -> bytes:
    """One engagement's audits, expiry and open quote deadlines, for a one-off download."""
    quotes = open_quotes_of([engagement.id])
    firm = current_firm().name
    entries = calendar_entries([engagement], quotes, today_in_oman())
    return to_ical(entries, engagement.client.name, firm)


def next_audit_calendar(engagement: Engagement) -> bytes | None:
    """The engagement's next audit as a one-event calendar (None when none is planned)."""
    upcoming = next_audit(engagement.calendar_dates(), today_in_oman())
    if upcoming is None:
        return None
    (entry,) = [entry for entry in engagement_entries(engagement) if entry.item == upcoming]
    return to_ical([entry], engagement.client.name, current_firm().name)
