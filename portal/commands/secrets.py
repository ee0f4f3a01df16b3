"""`flask secrets rotate`: the secrets stored encrypted, written again under the newest key."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core.secrets_at_rest import encrypt_again
from portal.extensions import db

secrets = AppGroup("secrets", help="Secrets stored encrypted under DATA_ENCRYPTION_KEYS (README: Secrets at rest).")


@secrets.command("rotate")
def rotate_command() -> None:
    """Encrypt every stored secret again under the first key of DATA_ENCRYPTION_KEYS, and commit;
    after it, the other keys may be removed from the list."""
    counts = encrypt_again(db.session)
    db.session.commit()
    click.echo("encrypted again under the first key: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
