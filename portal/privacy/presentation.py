"""Labels and read models of the privacy pages: templates compare no raw status or clock state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.clock import today_in_oman
from portal.domain.privacy_deadlines import BreachClock, ClockState, days_left, whole_hours
from portal.models import PersonalDataBreach, PrivacyRequest

REQUEST_KIND_LABELS = {
    "access": _l("A copy of my data (access)"),
    "correction": _l("Correct my data"),
    "erasure": _l("Delete my data (erasure)"),
}
REQUEST_STATUS_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "refused": _l("Refused"),
}
CONSENT_PURPOSE_LABELS = {
    "enquiry": _l("Contact about this enquiry"),
    "marketing": _l("News and offers by e-mail"),
}
CONSENT_PAGE_LABELS = {"form": _l("Website enquiry form"), "api": _l("API")}
# Bootstrap badge classes; the words always say the state, the colour only adds to it.
CLOCK_CLASSES = {
    ClockState.RUNNING: "text-bg-warning",
    ClockState.OVERDUE: "text-bg-danger",
    ClockState.ON_TIME: "text-bg-success",
    ClockState.LATE: "text-bg-secondary",
}


def consent_labels(purpose: str, page: str) -> tuple[str, str]:
    """A consent record's purpose and origin in words (the lead page's consent card)."""
    return str(CONSENT_PURPOSE_LABELS.get(purpose, purpose)), str(CONSENT_PAGE_LABELS.get(page, page))


@dataclass(frozen=True)
class ClockView:
    state: str
    badge: str
    badge_class: str
    summary: str
    deadline: datetime


def clock_view(clock: BreachClock, hours: int) -> ClockView:
    """The breach clock in words: how long since discovery against the deadline."""
    elapsed = whole_hours(clock.elapsed)
    if clock.state is ClockState.RUNNING:
        badge = _("Notify the authority")
        summary = _(
            "%(elapsed)s h since it was found; %(left)s h left of the %(hours)s h deadline.",
            elapsed=elapsed,
            left=whole_hours(clock.remaining),
            hours=hours,
        )
    elif clock.state is ClockState.OVERDUE:
        badge = _("Overdue")
        summary = _(
            "%(elapsed)s h since it was found: the %(hours)s h deadline passed %(over)s h ago.",
            elapsed=elapsed,
            hours=hours,
            over=whole_hours(-clock.remaining),
        )
    elif clock.state is ClockState.ON_TIME:
        badge = _("Notified in time")
        summary = _("The authority was notified %(elapsed)s h after it was found.", elapsed=elapsed)
    else:
        badge = _("Notified late")
        summary = _(
            "The authority was notified %(elapsed)s h after it was found, after the %(hours)s h deadline.",
            elapsed=elapsed,
            hours=hours,
        )
    return ClockView(clock.state.value, badge, CLOCK_CLASSES[clock.state], summary, clock.deadline)


@dataclass(frozen=True)
class BreachRow:
    breach: PersonalDataBreach
    clock: ClockView


@dataclass(frozen=True)
class RequestRow:
    request: PrivacyRequest
    kind: str
    status: str
    closed: bool
    due_text: str
    overdue: bool


def request_row(request: PrivacyRequest) -> RequestRow:
    """A request as the list and its page show it: labels and the days left to answer."""
    closed = request.status in ("done", "refused")
    left = days_left(request.due_on, today_in_oman())
    if closed:
        due_text = ""
    elif left < 0:
        due_text = ngettext("%(num)s day overdue", "%(num)s days overdue", -left)
    elif left == 0:
        due_text = _("Due today")
    else:
        due_text = ngettext("%(num)s day left", "%(num)s days left", left)
    return RequestRow(
        request=request,
        kind=str(REQUEST_KIND_LABELS.get(request.kind, request.kind)),
        status=str(REQUEST_STATUS_LABELS.get(request.status, request.status)),
        closed=closed,
        due_text=due_text,
        overdue=not closed and left < 0,
    )
