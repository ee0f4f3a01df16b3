"""Every `flask` command group, one module per group, registered from one list."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    """Register every command group."""
    from portal.commands.assets import assets
    from portal.commands.outbox import outbox
    from portal.commands.registrars import registrars
    from portal.commands.reminders import reminders
    from portal.commands.seed import seed
    from portal.commands.storage import storage
    from portal.commands.tallies import tallies
    from portal.commands.users import users

    for group in (seed, users, outbox, registrars, reminders, storage, assets, tallies):
        app.cli.add_command(group)
