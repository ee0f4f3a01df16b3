"""`flask reminders run`: store the expiry of quotes past their validity (portal.quotes.services),
queue today's reminder e-mails (portal.engagements.reminders), the reminders before a lead's
response target is missed (portal.leads.reminders), those of overdue client documents
(portal.client_status.reminders) and those before the personal-data deadlines
(portal.privacy.reminders), and commit once."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from portal.client_status.reminders import KIND as DOCUMENT_OVERDUE
from portal.client_status.reminders import overdue_document_reminders
from portal.core.clock import today_in_oman
from portal.domain.working_days import MUSCAT
from portal.engagements.reminders import run_reminders
from portal.extensions import db
from portal.leads.reminders import KIND as FIRST_RESPONSE
from portal.leads.reminders import first_response_reminders
from portal.models.types import utcnow
from portal.privacy.reminders import BREACH_KIND, REQUEST_KIND, breach_reminders, request_reminders
from portal.quotes.services import expire_due_quotes

reminders = AppGroup(
    "reminders", help="Reminder e-mails about due audits, expiring certificates and quotes, and unanswered leads."
)


@reminders.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if on this date (Oman).")
def run_command(today: datetime | None) -> None:
    """Expire stale quotes and queue today's reminders (idempotent: run it from cron as often as you like)."""
    day = today.date() if today else today_in_oman()
    now = utcnow()
    if today is not None:  # the same time of day, on that date
        now = datetime.combine(day, now.astimezone(MUSCAT).time(), tzinfo=MUSCAT)
    expire_due_quotes(day)
    sent = run_reminders(day)
    sent[FIRST_RESPONSE] += first_response_reminders(now)
    sent[DOCUMENT_OVERDUE] += overdue_document_reminders(day)
    sent[REQUEST_KIND] += request_reminders(day)
    sent[BREACH_KIND] += breach_reminders(now)
    db.session.commit()
    total = sum(sent.values())
    details = ", ".join(f"{kind} {count}" for kind, count in sorted(sent.items()))
    click.echo(f"reminders queued: {total}" + (f" ({details})" if details else ""))
