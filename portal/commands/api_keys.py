"""`flask api-keys create | list | revoke`: the intake API's keys from the command line.

The same rules and audit rows as the admin page (portal.core.api_keys); the secret of a new
key is printed once, on standard output alone, so it can be piped into a secret store."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core.api_keys import SCOPES, all_keys, create_key, key_named, revoke_key
from portal.core.errors import ServiceError
from portal.extensions import db

api_keys = AppGroup("api-keys", help="Create, list and revoke the intake API's keys.")


def _moment(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


@api_keys.command("create")
@click.option("--name", required=True, help="Who uses the key, e.g. the landing page's name (unique).")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(list(SCOPES)),
    help="What the key may do; repeat for several. Default: all scopes.",
)
def create(name: str, scopes: tuple[str, ...]) -> None:
    """Create a key and print its secret (shown only now: only a hash is kept)."""
    try:
        key, secret = create_key(name, scopes or tuple(SCOPES), actor=None)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created API key {key.name!r} ({', '.join(key.scopes)}). Its secret, shown only this once:", err=True)
    click.echo(secret)


@api_keys.command("list")
def list_keys() -> None:
    """Every key with its prefix, scopes, status and when it last sent an enquiry (never a secret)."""
    keys = all_keys()
    if not keys:
        click.echo("No API keys yet. Create one with: flask api-keys create --name NAME")
    for key in keys:
        status = f"revoked {_moment(key.revoked_at)}" if key.revoked_at else "active"
        click.echo(
            f"{key.prefix}…  {key.name:<30} {','.join(key.scopes):<32} {status:<28} last used {_moment(key.last_used_at)}"
        )


@api_keys.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Refuse the key NAME from now on."""
    key = key_named(name)
    if key is None:
        raise click.ClickException(f"No API key is named {name!r}. See: flask api-keys list")
    try:
        revoke_key(key, actor=None)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Revoked API key {key.name!r}.")
