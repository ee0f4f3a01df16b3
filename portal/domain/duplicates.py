"""When two enquiries look like the same prospect, and why.

Two leads are possible duplicates when they were made within 180 days of each other
and share the normalised e-mail, the E.164 phone number or the normalised company name
(see portal.domain.normalise). The relation is symmetric: each lead shows the other.
Empty values never match, so two leads without a phone are not duplicates for that.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

DUPLICATE_WINDOW = timedelta(days=180)


class MatchReason(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    COMPANY = "company"


@dataclass(frozen=True)
class ContactKey:
    """The already normalised values of a lead that duplicates are found by."""

    email: str
    phone: str
    company: str
    created_at: datetime


def window(created_at: datetime) -> tuple[datetime, datetime]:
    """The creation times (inclusive) of leads that may duplicate one made at `created_at`."""
    return created_at - DUPLICATE_WINDOW, created_at + DUPLICATE_WINDOW


def match_reasons(a: ContactKey, b: ContactKey) -> tuple[MatchReason, ...]:
    """Why `a` and `b` look like the same prospect (empty: they do not, or are too far apart)."""
    if abs(a.created_at - b.created_at) > DUPLICATE_WINDOW:
        return ()
    reasons = []
    if a.email and a.email == b.email:
        reasons.append(MatchReason.EMAIL)
    if a.phone and a.phone == b.phone:
        reasons.append(MatchReason.PHONE)
    if a.company and a.company == b.company:
        reasons.append(MatchReason.COMPANY)
    return tuple(reasons)
