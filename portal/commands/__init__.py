"""Every `flask` command group, one module per group, registered from one list."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    """Register every command group."""
    from portal.commands.api_keys import api_keys
    from portal.commands.assets import assets
    from portal.commands.outbox import outbox
    from portal.commands.privacy import privacy
    from portal.commands.registrars import registrars
    from portal.commands.reminders import reminders
    from portal.commands.secrets import secrets
    from portal.commands.seed import seed
    from portal.commands.storage import storage
    from portal.commands.tallies import tallies
    from portal.commands.users import users
    from portal.commands.webhooks import webhooks

    groups = (
        seed,
        users,
        outbox,
        registrars,
        reminders,
        storage,
        assets,
        privacy,
        api_keys,
        webhooks,
        tallies,
        secrets,
    )
    for group in groups:
        app.cli.add_command(group)
