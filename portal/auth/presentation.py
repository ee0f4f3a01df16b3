"""Ready-made values for the account page: each signed-in session as the user recognises it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from portal.auth.login_sessions import is_current
from portal.models import LoginSession, User

# (text in the User-Agent, name shown), first match wins: Edge and Opera also say "Chrome",
# Chrome also says "Safari", so the more specific names come first.
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class SessionRow:
    id: int
    device: str
    address: str
    started: datetime
    last_seen: datetime
    current: bool


def device_name(user_agent: str) -> str:
    """ "Firefox on Windows" from a User-Agent header; a rough name, enough to recognise a device."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")


def session_rows(sessions: list[LoginSession], user: User) -> list[SessionRow]:
    return [
        SessionRow(
            id=row.id,
            device=device_name(row.user_agent),
            address=row.ip,
            started=row.created_at,
            last_seen=row.last_seen_at,
            current=is_current(row, user),
        )
        for row in sessions
    ]
