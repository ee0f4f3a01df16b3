"""What the account pages show: each signed-in session as the user recognises it, and the
two-factor enrolment (the QR code as inline SVG, the setup key in groups)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup

from portal.auth import calendar_feeds, two_factor
from portal.auth.login_sessions import is_current
from portal.core.firm import current_firm
from portal.domain import totp
from portal.models import FeedScope, LoginSession, User

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


def qr_svg(uri: str) -> Markup:
    """The QR code drawn locally by segno as an inline <svg>: no image request, no data: URL,
    and no style attribute, so the strict CSP has nothing to refuse."""
    import segno  # here, not at the top: only the enrolment page needs it (memory of every worker)

    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#fff", title=_("QR code of the setup key"))
    return Markup(svg)  # noqa: S704  (segno writes only paths; it escapes the title)


def setup_details(user: User, token: str) -> dict[str, object]:
    """The QR code and the grouped key of the secret carried by `token` (assumed valid)."""
    secret = two_factor.secret_from_setup_token(user, token) or ""
    uri = totp.provisioning_uri(secret, user.email, current_firm().two_factor_issuer)
    return {"qr": qr_svg(uri), "setup_key": totp.grouped(secret)}


def fresh_setup_token(user: User, token: str | None) -> str:
    """`token` while it is still good (the page shown again keeps its key), else one for a new secret."""
    if token and two_factor.secret_from_setup_token(user, token):
        return token
    return two_factor.setup_token(user, totp.new_secret())


@dataclass(frozen=True)
class CalendarLinkRow:
    """One calendar the user may subscribe to: whether a link is live, and the new one if just made."""

    scope: str
    title: str
    explanation: str
    made_at: datetime | None
    new_url: str | None


def calendar_rows(user: User, new_link: object) -> list[CalendarLinkRow]:
    """The account page's calendar section; `new_link` is the link just issued (shown this once)."""
    feeds = calendar_feeds.feeds_of(user)
    fresh = new_link if isinstance(new_link, dict) else {}
    wording = {
        FeedScope.OWN: (
            _("My engagements"),
            _("The audits, certificate expiries and quote deadlines of the engagements you own."),
        ),
        FeedScope.FIRM: (
            _("The whole firm"),
            _("The audits, certificate expiries and quote deadlines of every engagement."),
        ),
    }
    return [
        CalendarLinkRow(
            scope.value,
            *wording[scope],
            feeds[scope].created_at if scope in feeds else None,
            fresh.get("url") if fresh.get("scope") == scope.value else None,
        )
        for scope in calendar_feeds.scopes_for(user)
    ]
