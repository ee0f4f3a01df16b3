"""`flask tallies rebuild`: count the dashboard's kept lead counts again from the leads table."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.leads.tallies import rebuild

tallies = AppGroup("tallies", help="The lead counts kept for the dashboard (portal/leads/tallies.py).")


@tallies.command("rebuild")
def rebuild_command() -> None:
    """Recount every day's leads and commit (after a restore, a hand-made change or a bulk import)."""
    days = rebuild(db.session)
    db.session.commit()
    click.echo(f"lead counts rebuilt for {days} days")
