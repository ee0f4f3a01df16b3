"""Reminders to the admins before the personal-data law's clocks run out (`flask reminders run`).

- A person's request about their data, still open or in progress, `REQUEST_WARNING_DAYS`
  before the day it must be answered by (or once past it, if it was never reminded).
- A breach not yet notified to the authority, `BREACH_WARNING_HOURS` before the notification
  deadline (or once past it).

One reminder per request or breach and deadline (the Reminder table's unique key, claimed in
the same transaction as the e-mails), so runs may repeat; a moved deadline allows one more.
Each active admin gets it in their own language; the e-mails carry references, titles and
dates, never what the person wrote.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import reminders as reminder_keys
from portal.extensions import db
from portal.models import PersonalDataBreach, PrivacyRequest
from portal.privacy.breaches import clock_for
from portal.privacy.requests import CLOSED_STATUSES, tell_admins
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

REQUEST_KIND = "privacy_request_due"
BREACH_KIND = "breach_notification_due"
REQUEST_WARNING_DAYS = 7
BREACH_WARNING_HOURS = 24
ADMINS = "admins"  # the Reminder row's recipient: every active admin is written to


def request_reminders(today: date) -> int:
    """Open requests whose answer is due within the warning days; flushes, never commits."""
    due = db.session.scalars(
        select(PrivacyRequest)
        .where(
            PrivacyRequest.status.not_in(CLOSED_STATUSES),
            PrivacyRequest.spam_reason == "",
            PrivacyRequest.due_on <= today + timedelta(days=REQUEST_WARNING_DAYS),
        )
        .order_by(PrivacyRequest.due_on, PrivacyRequest.id)
    ).all()
    sent = 0
    for request in due:
        if not reminder_keys.claim(REQUEST_KIND, "privacy_request", request.id, request.due_on, ADMINS):
            continue
        tell_admins(
            f"reminder_{REQUEST_KIND}",
            lambda request=request: _(
                "Answer the request about personal data %(reference)s", reference=request.reference
            ),
            "emails/reminder_privacy_request_due.txt",
            request=request,
            overdue=request.due_on < today,
            request_url=absolute_url("privacy.request_detail", request_id=request.id),
        )
        sent += 1
        logger.info("reminder %s for privacy request %s due %s", REQUEST_KIND, request.id, request.due_on)
    db.session.flush()
    return sent


def breach_reminders(now: datetime) -> int:
    """Breaches not notified to the authority whose deadline is within the warning hours; flushes."""
    unnotified = db.session.scalars(
        select(PersonalDataBreach)
        .where(PersonalDataBreach.authority_notified_at.is_(None))
        .order_by(PersonalDataBreach.discovered_at)
    ).all()
    sent = 0
    for breach in unnotified:
        clock = clock_for(breach, now)
        if clock.remaining > timedelta(hours=BREACH_WARNING_HOURS):
            continue
        if not reminder_keys.claim(BREACH_KIND, "breach", breach.id, clock.deadline.date(), ADMINS):
            continue
        tell_admins(
            f"reminder_{BREACH_KIND}",
            lambda breach=breach: _("Notify the authority of the breach: %(title)s", title=breach.title),
            "emails/reminder_breach_notification_due.txt",
            breach=breach,
            deadline=clock.deadline,
            overdue=clock.is_overdue,
            breach_url=absolute_url("privacy.breach_detail", breach_id=breach.id),
        )
        sent += 1
        logger.info("reminder %s for breach %s (deadline %s)", BREACH_KIND, breach.id, clock.deadline)
    db.session.flush()
    return sent
