"""two-factor (TOTP) and webhook signing secrets encrypted at rest under DATA_ENCRYPTION_KEYS;
the secrets already stored are encrypted in place (and decrypted again on downgrade)

Revision ID: cf502e982352
Revises: 9ffaa08be118
Create Date: 2026-12-06 13:18:07.109258
"""

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app

# revision identifiers, used by Alembic.
revision = "cf502e982352"
down_revision = "9ffaa08be118"
branch_labels = None
depends_on = None

# (table, column, its length before): every secret the portal must read back in clear.
SECRETS = (("users", "totp_secret", 64), ("webhook_endpoints", "secret", 80))
ENCRYPTED_LENGTH = 255


def _cipher() -> MultiFernet:
    """The app's keys (the same setting the running app reads): the migration runs in its context."""
    return MultiFernet([Fernet(key) for key in current_app.config["DATA_ENCRYPTION_KEYS"]])


def _rewrite(table_name: str, column_name: str, change) -> None:
    """Each stored value through `change`, one UPDATE per row (a handful of users and endpoints)."""
    rows = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column_name, sa.String))
    connection = op.get_bind()
    stored = connection.execute(sa.select(rows.c.id, rows.c[column_name]).where(rows.c[column_name].is_not(None)))
    for row_id, value in stored.all():
        connection.execute(sa.update(rows).where(rows.c.id == row_id).values({column_name: change(value)}))


def upgrade():
    cipher = _cipher()
    for table_name, column_name, length in SECRETS:
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.alter_column(
                column_name, existing_type=sa.String(length=length), type_=sa.String(length=ENCRYPTED_LENGTH)
            )
        _rewrite(table_name, column_name, lambda value: cipher.encrypt(value.encode()).decode())


def downgrade():
    cipher = _cipher()
    for table_name, column_name, length in SECRETS:
        _rewrite(table_name, column_name, lambda value: cipher.decrypt(value.encode()).decode())
        with op.batch_alter_table(table_name) as batch_op:
            batch_op.alter_column(
                column_name, existing_type=sa.String(length=ENCRYPTED_LENGTH), type_=sa.String(length=length)
            )
