"""`flask reminders run`: store the expiry of quotes past their validity (portal.quotes.services),
queue today's reminder e-mails (portal.engagements.reminders), and commit once."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from portal.core.clock import today_in_oman
from portal.engagements.reminders import run_reminders
from portal.extensions import db
from portal.quotes.services import expire_due_quotes

reminders = AppGroup("reminders", help="Reminder e-mails about due audits, expiring certificates and quotes.")


@reminders.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if on this date (Oman).")
def run_command(today: datetime | None) -> None:
    """Expire stale quotes and queue today's reminders (idempotent: run it from cron as often as you like)."""
    day = today.date() if today else today_in_oman()
    expire_due_quotes(day)
    sent = run_reminders(day)
    db.session.commit()
    total = sum(sent.values())
    details = ", ".join(f"{kind} {count}" for kind, count in sorted(sent.items()))
    click.echo(f"reminders queued: {total}" + (f" ({details})" if details else ""))
