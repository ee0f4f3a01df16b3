"""The iCalendar (RFC 5545) text of a list of entries, written by the `icalendar` library.

Entries are all-day events (`DTSTART;VALUE=DATE`): audits and deadlines are due on a day,
not at an hour, and a date has no time zone to get wrong. The calendar still names
Asia/Muscat (`X-WR-TIMEZONE`) for clients that show it. Each event carries:

- UID `<kind>-<id>…@<host of PUBLIC_BASE_URL>`: the same audit keeps the same UID, so a moved
  date replaces the event instead of adding one;
- SEQUENCE (the row's version) and LAST-MODIFIED / DTSTAMP (the row's last change), which
  grow with every change, so clients that compare them take the newer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vDuration

from portal.calendars.presentation import CalendarEntry

CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = timedelta(hours=1)


def uid_host() -> str:
    """The portal's host name, the right-hand side of every UID."""
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


def _event(entry: CalendarEntry, host: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.item.uid_stem}@{host}")
    event.add("summary", entry.title)
    event.add("description", entry.description)
    event.add("url", entry.url)
    event.add("dtstart", entry.item.on)
    event.add("dtend", entry.item.on + timedelta(days=1))
    event.add("dtstamp", entry.last_modified)
    event.add("last-modified", entry.last_modified)
    event.add("sequence", entry.sequence)
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    event.add("categories", [entry.item.kind])
    return event


def to_ical(entries: Sequence[CalendarEntry], name: str, firm_name: str) -> bytes:
    """The whole calendar as bytes (UTF-8, CRLF line ends, long lines folded)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{firm_name}//Certification portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Muscat")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # an X- property: its type is not known to the library
    host = uid_host()
    for entry in entries:
        calendar.add_component(_event(entry, host))
    return calendar.to_ical()
