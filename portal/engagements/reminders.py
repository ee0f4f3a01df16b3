"""Reminder e-mails to each engagement's owner about what is coming due (`flask reminders run`).

Meant for cron, once or more a day. Idempotent: a reminder is keyed by its kind, its
subject and the due date it warns of (the Reminder table's unique key), so a second
run the same day, or a concurrent one, sends nothing twice. The key row and the
outbox e-mail are written in the same transaction, committed once by the command.

What is reminded (windows in days):
- surveillance and recertification audits due within 60 days (portal.domain.schedule);
- certificates expiring within 90 days;
- received quotes whose validity ends within 7 days;
- quote requests unanswered after 10 days;
- open engagements with no activity for 30 days (on hold and closed ones are left alone);
- certificates to an edition whose IAF transition ends within about six months
  (portal.domain.editions), one reminder per engagement and end date.

A withdrawn certificate (portal.domain.certificate) has no audits or expiry to remind of.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.core import outbox
from portal.core import reminders as reminder_keys
from portal.core.clock import today_in_oman
from portal.core.formats import format_iso_day
from portal.core.reference import EditionTransition, transition_of
from portal.domain import lifecycle
from portal.domain.certificate import State
from portal.domain.editions import transition_ending_soon
from portal.domain.schedule import OUTSTANDING_AUDITS, outstanding_audits
from portal.domain.working_days import MUSCAT
from portal.engagements.presentation import AUDIT_LABELS
from portal.engagements.queries import schedule_of
from portal.extensions import db
from portal.models import Activity, Engagement, Quote, QuoteStatus, Reminder, Standard, StandardEdition, User
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

AUDIT_WITHIN = timedelta(days=60)
EXPIRY_WITHIN = timedelta(days=90)
QUOTE_EXPIRY_WITHIN = timedelta(days=7)
QUOTE_UNANSWERED_AFTER = timedelta(days=10)
INACTIVE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Due:
    """One thing to remind an owner about: the Reminder key plus what the e-mail needs."""

    kind: str
    subject_type: str
    subject_id: int
    due_date: date
    owner: User | None
    subject: LazyString  # worded when sent, in the recipient's language
    template: str
    context: dict


def _day(value: date) -> LazyString:
    """A date in a subject, written when the subject is: in the recipient's language and digits."""
    return LazyString(format_iso_day, value)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(MUSCAT).date()


def _muscat_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=MUSCAT)


_NOT_WITHDRAWN = Engagement.certificate_state != State.WITHDRAWN.value


def _engagements(*conditions) -> Iterator[Engagement]:
    stmt = select(Engagement).where(*conditions).options(joinedload(Engagement.client), joinedload(Engagement.owner))
    yield from db.session.scalars(stmt.order_by(Engagement.id)).unique()


def audits_due(today: date) -> Iterator[Due]:
    cutoff = today + AUDIT_WITHIN
    for engagement in _engagements(Engagement.stage.in_(tuple(OUTSTANDING_AUDITS)), _NOT_WITHDRAWN):
        for audit, due in outstanding_audits(engagement.stage, schedule_of(engagement)):
            if due <= cutoff:
                label = str(AUDIT_LABELS[audit])
                yield Due(
                    f"audit_{audit}",
                    "engagement",
                    engagement.id,
                    due,
                    engagement.owner,
                    _l(
                        "%(audit)s due %(date)s: %(client)s",
                        audit=label,
                        date=_day(due),
                        client=engagement.client.name,
                    ),
                    "emails/reminder_audit_due.txt",
                    {
                        "engagement": engagement,
                        "audit": label,
                        "due": due,
                        "days_left": (due - today).days,
                        "overdue": due < today,
                    },
                )


def certificates_expiring(today: date) -> Iterator[Due]:
    cutoff = today + EXPIRY_WITHIN
    for engagement in _engagements(
        Engagement.stage != lifecycle.CLOSED, Engagement.expiry_date <= cutoff, _NOT_WITHDRAWN
    ):
        due = engagement.expiry_date
        yield Due(
            "certificate_expiry",
            "engagement",
            engagement.id,
            due,
            engagement.owner,
            _l("Certificate expires %(date)s: %(client)s", date=_day(due), client=engagement.client.name),
            "emails/reminder_certificate_expiry.txt",
            {"engagement": engagement, "due": due, "days_left": (due - today).days, "overdue": due < today},
        )


def _quotes(*conditions) -> Iterator[Quote]:
    stmt = (
        select(Quote)
        .join(Quote.engagement)
        .where(Engagement.stage != lifecycle.CLOSED, *conditions)
        .options(
            joinedload(Quote.certification_body),
            joinedload(Quote.engagement).joinedload(Engagement.client),
            joinedload(Quote.engagement).joinedload(Engagement.owner),
        )
        .order_by(Quote.id)
    )
    yield from db.session.scalars(stmt).unique()


def quotes_expiring(today: date) -> Iterator[Due]:
    received = Quote.status == QuoteStatus.RECEIVED.value
    for quote in _quotes(received, Quote.valid_until >= today, Quote.valid_until <= today + QUOTE_EXPIRY_WITHIN):
        engagement = quote.engagement
        yield Due(
            "quote_expiring",
            "quote",
            quote.id,
            quote.valid_until,
            engagement.owner,
            _l(
                "Quote from %(body)s valid until %(date)s: %(client)s",
                body=quote.certification_body.name,
                date=_day(quote.valid_until),
                client=engagement.client.name,
            ),
            "emails/reminder_quote_expiring.txt",
            {"engagement": engagement, "quote": quote, "due": quote.valid_until},
        )


def quotes_unanswered(today: date) -> Iterator[Due]:
    cutoff = _muscat_midnight(today + timedelta(days=1)) - QUOTE_UNANSWERED_AFTER
    for quote in _quotes(Quote.status == QuoteStatus.REQUESTED.value, Quote.requested_at < cutoff):
        engagement = quote.engagement
        requested = _local_day(quote.requested_at)
        yield Due(
            "quote_unanswered",
            "quote",
            quote.id,
            requested + QUOTE_UNANSWERED_AFTER,
            engagement.owner,
            _l(
                "No answer from %(body)s since %(date)s: %(client)s",
                body=quote.certification_body.name,
                date=_day(requested),
                client=engagement.client.name,
            ),
            "emails/reminder_quote_unanswered.txt",
            {"engagement": engagement, "quote": quote, "requested": requested},
        )


def engagements_inactive(today: date) -> Iterator[Due]:
    """Open engagements whose latest activity (or creation) is more than 30 days old."""
    last_activity = (
        select(func.max(Activity.created_at)).where(Activity.engagement_id == Engagement.id).scalar_subquery()
    )
    cutoff = _muscat_midnight(today + timedelta(days=1)) - INACTIVE_AFTER
    stmt = (
        select(Engagement, last_activity)
        .where(
            Engagement.stage.not_in((lifecycle.CLOSED, lifecycle.ON_HOLD)),
            Engagement.created_at < cutoff,
            func.coalesce(last_activity, Engagement.created_at) < cutoff,
        )
        .options(joinedload(Engagement.client), joinedload(Engagement.owner))
        .order_by(Engagement.id)
    )
    for engagement, last in db.session.execute(stmt).unique():
        latest = _as_utc(last) if last is not None else engagement.created_at
        quiet_since = _local_day(latest)
        yield Due(
            "inactive",
            "engagement",
            engagement.id,
            quiet_since + INACTIVE_AFTER,
            engagement.owner,
            _l(
                "No activity since %(date)s: %(client)s",
                date=_day(quiet_since),
                client=engagement.client.name,
            ),
            "emails/reminder_inactive.txt",
            {"engagement": engagement, "quiet_since": quiet_since},
        )


def edition_transitions(today: date) -> Iterator[Due]:
    """Certificates to an edition whose transition to a newer one ends soon: book the transition audit."""
    stmt = (
        select(Engagement)
        .where(Engagement.stage != lifecycle.CLOSED, _NOT_WITHDRAWN, Engagement.certified_editions.any())
        .options(
            joinedload(Engagement.client),
            joinedload(Engagement.owner),
            selectinload(Engagement.certified_editions)
            .selectinload(StandardEdition.standard)
            .selectinload(Standard.editions),
        )
        .order_by(Engagement.id)
    )
    for engagement in db.session.scalars(stmt).unique():
        ending: dict[date, list[EditionTransition]] = {}
        for edition in engagement.certified_editions:
            transition = transition_of(edition, today)
            if transition is not None and transition_ending_soon(transition.ends_on, today):
                ending.setdefault(transition.ends_on, []).append(transition)
        for ends_on, transitions in ending.items():
            yield Due(
                "edition_transition",
                "engagement",
                engagement.id,
                ends_on,
                engagement.owner,
                _l(
                    "Transition to %(editions)s ends %(date)s: %(client)s",
                    editions=", ".join(t.successor.edition for t in transitions),
                    date=_day(ends_on),
                    client=engagement.client.name,
                ),
                "emails/reminder_edition_transition.txt",
                {
                    "engagement": engagement,
                    "transitions": transitions,
                    "due": ends_on,
                    "days_left": (ends_on - today).days,
                },
            )


def _as_utc(value: datetime) -> datetime:
    """max() over a UTC column comes back naive on SQLite."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


RULES = (
    audits_due,
    certificates_expiring,
    quotes_expiring,
    quotes_unanswered,
    engagements_inactive,
    edition_transitions,
)


def _already_sent(due: Due) -> bool:
    return (
        db.session.scalar(
            select(Reminder.id).where(
                Reminder.kind == due.kind,
                Reminder.subject_type == due.subject_type,
                Reminder.subject_id == due.subject_id,
                Reminder.due_date == due.due_date,
            )
        )
        is not None
    )


def _send(due: Due, recipient: str) -> bool:
    """Claim the reminder's key and queue its e-mail; False when another run claimed it first."""
    if not reminder_keys.claim(due.kind, due.subject_type, due.subject_id, due.due_date, recipient):
        return False
    engagement = due.context["engagement"]
    with outbox.written_in(outbox.language_of(recipient)):
        body = render_template(
            due.template, owner=due.owner, link=absolute_url("engagements.detail", id=engagement.id), **due.context
        )
        outbox.enqueue(f"reminder_{due.kind}", recipient, str(due.subject), body)
    return True


def run_reminders(today: date | None = None) -> Counter[str]:
    """Queue every reminder due on `today` (Oman date) not sent before; flushes, never commits."""
    today = today or today_in_oman()
    sent: Counter[str] = Counter()
    for rule in RULES:
        for due in rule(today):
            recipient = reminder_keys.recipient_for(due.owner)
            if recipient is None or _already_sent(due):
                continue
            if _send(due, recipient):
                sent[due.kind] += 1
                logger.info(
                    "reminder %s for %s:%s due %s to %s",
                    due.kind,
                    due.subject_type,
                    due.subject_id,
                    due.due_date,
                    recipient,
                )
    db.session.flush()
    return sent
