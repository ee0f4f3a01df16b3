"""The reminder before a lead's response target is missed (`flask reminders run`).

A lead still awaiting its first answer (portal.leads.services.response) that has used
DUE_SOON_SHARE of the target, and not yet all of it, gets one reminder e-mail to its
consultant, or to the team address when nobody owns it. One per lead: the Reminder key
is the lead and the day it arrived, so a changed target sends nothing again. A lead
already past its target (cron not running in time, or old leads when this began) gets
none: the inbox and the dashboard show it as overdue.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core import outbox
from portal.core import reminders as reminder_keys
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads.response import awaiting_response, deadlines, load_response_settings
from portal.models import Lead
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

KIND = "first_response"


def first_response_reminders(now: datetime) -> int:
    """Queue the reminders due at `now` not sent before; returns how many. Flushes, never commits."""
    settings = load_response_settings()
    limits = deadlines(settings, now)
    office = settings.working_hours()
    leads = db.session.scalars(
        select(Lead)
        .where(awaiting_response(), Lead.created_at >= limits.overdue_before, Lead.created_at < limits.due_soon_before)
        .options(joinedload(Lead.assigned_to))
        .order_by(Lead.id)
    )
    sent = 0
    for lead in leads:
        recipient = reminder_keys.recipient_for(lead.assigned_to)
        arrived = lead.created_at.astimezone(MUSCAT)
        if recipient is None or not reminder_keys.claim(KIND, "lead", lead.id, arrived.date(), recipient):
            continue
        due = office.add(lead.created_at, settings.target).astimezone(MUSCAT)
        with outbox.written_in(outbox.language_of(recipient)):  # the consultant's own language
            body = render_template(
                "emails/reminder_first_response.txt",
                owner=lead.assigned_to,
                lead=lead,
                arrived=f"{arrived:%Y-%m-%d %H:%M}",
                due=f"{due:%Y-%m-%d %H:%M}",
                target_hours=settings.target_hours,
                link=absolute_url("leads.detail", id=lead.id),
            )
            subject = _("Answer lead %(reference)s by %(due)s", reference=lead.reference or lead.id, due=f"{due:%H:%M}")
            outbox.enqueue(f"reminder_{KIND}", recipient, subject, body)
        sent += 1
        logger.info("reminder %s for lead %s due %s to %s", KIND, lead.id, due.isoformat(), recipient)
    db.session.flush()
    return sent
