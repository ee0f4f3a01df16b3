"""Command-line entry points: `flask seed`, `flask users`, `flask outbox`."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    """Register every command group."""
    from portal.outbox_cli import outbox
    from portal.registrars.cli import registrars
    from portal.reminders import reminders
    from portal.seed_cli import seed
    from portal.users_cli import users

    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(outbox)
    app.cli.add_command(registrars)
    app.cli.add_command(reminders)
