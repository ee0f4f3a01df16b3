"""`flask reminders run`: queue today's reminder e-mails (portal.engagements.reminders), and commit."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from portal.engagements.reminders import run_reminders
from portal.extensions import db

reminders = AppGroup("reminders", help="Reminder e-mails about due audits, expiring certificates and quotes.")


@reminders.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if on this date (Oman).")
def run_command(today: datetime | None) -> None:
    """Queue today's reminders (idempotent: run it from cron as often as you like)."""
    sent = run_reminders(today.date() if today else None)
    db.session.commit()
    total = sum(sent.values())
    details = ", ".join(f"{kind} {count}" for kind, count in sorted(sent.items()))
    click.echo(f"reminders queued: {total}" + (f" ({details})" if details else ""))
