"""Which dates of an engagement belong in a calendar (pure: no Flask, no database).

A calendar feed is re-read by the client every hour or so; an item that is no longer
returned is removed from the client's calendar. So an audit that will not happen (the
engagement closed, the certificate withdrawn) is simply left out, rather than sent with
STATUS:CANCELLED, which subscribed calendars (Google, Outlook) do not all honour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.domain.schedule import RECERTIFICATION, SURVEILLANCE_1, SURVEILLANCE_2

AUDIT = "audit"
EXPIRY = "expiry"
QUOTE_DEADLINE = "quote"
STAGE1 = "stage1"
STAGE2 = "stage2"

CLOSED_STAGE = "closed"
WITHDRAWN_STATE = "withdrawn"


@dataclass(frozen=True)
class EngagementDates:
    """The dated facts of one engagement the calendar reads."""

    id: int
    stage: str
    certificate_state: str
    stage1_audit_on: date | None
    stage2_audit_on: date | None
    surveillance_1_due: date | None
    surveillance_2_due: date | None
    recertification_due: date | None
    expiry_date: date | None


@dataclass(frozen=True)
class DatedItem:
    """One all-day calendar entry: `uid_stem` never changes for the same audit or deadline,
    so a moved date updates the entry instead of adding a second one."""

    uid_stem: str
    kind: str
    what: str
    on: date


def engagement_items(dates: EngagementDates) -> list[DatedItem]:
    """The engagement's planned audits (stage 1 and 2 once agreed, then the cycle's) and its
    certificate expiry; none once it is cancelled."""
    if dates.stage == CLOSED_STAGE or dates.certificate_state == WITHDRAWN_STATE:
        return []
    audits = (
        (STAGE1, dates.stage1_audit_on),
        (STAGE2, dates.stage2_audit_on),
        (SURVEILLANCE_1, dates.surveillance_1_due),
        (SURVEILLANCE_2, dates.surveillance_2_due),
        (RECERTIFICATION, dates.recertification_due),
    )
    items = [DatedItem(f"audit-{dates.id}-{what}", AUDIT, what, on) for what, on in audits if on is not None]
    if dates.expiry_date is not None:
        items.append(DatedItem(f"expiry-{dates.id}", EXPIRY, EXPIRY, dates.expiry_date))
    return items


def next_audit(dates: EngagementDates, today: date) -> DatedItem | None:
    """The engagement's first planned audit on or after `today` (its one-event download)."""
    ahead = [item for item in engagement_items(dates) if item.kind == AUDIT and item.on >= today]
    return min(ahead, key=lambda item: item.on, default=None)


def quote_deadline(quote_id: int, valid_until: date | None, is_open: bool) -> DatedItem | None:
    """An open quote's last valid day (a decided or withdrawn quote has no deadline left)."""
    if not is_open or valid_until is None:
        return None
    return DatedItem(f"quote-{quote_id}", QUOTE_DEADLINE, QUOTE_DEADLINE, valid_until)
