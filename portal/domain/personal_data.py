"""Rules about a person's data: who a request is about, what erasure leaves, how long data is kept.

Pure functions (no Flask, no database): the privacy area's export, correction, erasure and
retention services (portal/privacy/) apply them to rows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import phonenumbers

from portal.domain.normalise import normalise_email, normalise_phone

# What replaces a personal field of an erased record (stored data: the same in every language;
# the record's `erased_at` says it was erased, whatever a visitor may once have typed).
ERASED = "[erased]"

# Timeline details kept on an erased record: statuses, ids, references and sizes say what
# happened, not to whom. Anything else (a subject line, a file or client name) is dropped.
SAFE_DETAIL_KEYS = frozenset(
    {
        "old",
        "new",
        "template",
        "outbox_id",
        "engagement_id",
        "client_id",
        "merged_id",
        "merged",
        "into_id",
        "into",
        "moved",
        "attachment_id",
        "size",
        "kind",
    }
)


@dataclass(frozen=True)
class Identifiers:
    """Who a request is about: normalised e-mail addresses and E.164 phone numbers."""

    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones)

    def search_terms(self) -> tuple[str, ...]:
        """Text that, found in a note or an e-mail body, mentions this person: each address, and each
        phone number as stored (+96892123456) and as people write it (92123456)."""
        return tuple(dict.fromkeys([*self.emails, *(v for phone in self.phones for v in phone_variants(phone))]))


def identifiers_from(email: str | None, phone: str | None) -> Identifiers:
    """Normalise what an admin typed the way the leads are stored. Raises PhoneNumberError."""
    emails = (normalise_email(email),) if email and email.strip() else ()
    phones = (normalise_phone(phone),) if phone and phone.strip() else ()
    return Identifiers(emails=emails, phones=phones)


def phone_variants(phone: str) -> tuple[str, ...]:
    """The stored E.164 form and the national number of a phone (for searching free text)."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return (phone,)
    return tuple(dict.fromkeys([phone, str(number.national_number)]))


def mentions(text: str | None, terms: tuple[str, ...]) -> bool:
    """True when `text` contains any of the terms (case-insensitive)."""
    if not text:
        return False
    lowered = text.casefold()
    return any(term.casefold() in lowered for term in terms if term)


def scrubbed_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """A timeline entry's details with only the keys that say what happened (SAFE_DETAIL_KEYS)."""
    return {key: value for key, value in (details or {}).items() if key in SAFE_DETAIL_KEYS}


# The personal fields of a lead in a webhook event's body (portal/core/webhook_events.py).
WEBHOOK_LEAD_FIELDS = ("contact_name", "email", "phone", "company")


def scrubbed_webhook_body(body: str, lead_ids: set[int]) -> str:
    """A queued or sent webhook event's JSON with the personal fields of the erased leads replaced.

    The event keeps its id, type, dates and the lead's reference and status, so the delivery
    history (and a receiver's de-duplication) still holds; only who it was about goes."""
    try:
        event = json.loads(body)
    except ValueError:
        return ERASED
    lead = event.get("data", {}).get("lead") if isinstance(event, dict) else None
    if isinstance(lead, dict) and lead.get("id") in lead_ids:
        lead.update({name: ERASED for name in WEBHOOK_LEAD_FIELDS if lead.get(name)})
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return ERASED


def identifier_digest(identifiers: Identifiers, key: str) -> str:
    """A keyed hash of the identifiers for the audit log: the same person gives the same digest
    (so an operator can find every action about one person), but the log holds no address."""
    text = "|".join(sorted(identifiers.emails) + sorted(identifiers.phones))
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class RetentionPeriods:
    """How long each kind of finished record keeps its personal data (then it is erased)."""

    spam_days: int = 30
    unqualified_months: int = 12
    closed_engagement_years: int = 6

    def spam_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.spam_days)

    def unqualified_cutoff(self, now: datetime) -> datetime:
        return months_before(now, self.unqualified_months)

    def closed_engagement_cutoff(self, now: datetime) -> datetime:
        return months_before(now, 12 * self.closed_engagement_years)

    def spam_due(self, last_change: datetime) -> datetime:
        return last_change + timedelta(days=self.spam_days)

    def unqualified_due(self, last_change: datetime) -> datetime:
        return months_after(last_change, self.unqualified_months)

    def closed_engagement_due(self, closed_at: datetime) -> datetime:
        return months_after(closed_at, 12 * self.closed_engagement_years)


RETENTION_LIMITS = {"spam_days": (1, 3650), "unqualified_months": (1, 240), "closed_engagement_years": (1, 30)}


def months_after(moment: datetime, months: int) -> datetime:
    """The same day-of-month `months` later (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, _days_in(year, month + 1)))


def months_before(moment: datetime, months: int) -> datetime:
    return months_after(moment, -months)


def _days_in(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
