"""users invited_at: an account invited by an admin that has not chosen its password yet

Revision ID: 4828fca14bd2
Revises: dd3e80013b86
Create Date: 2026-12-06 04:25:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4828fca14bd2'
down_revision = 'dd3e80013b86'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts all have a password: NULL (not invited) is right for every one of them.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('invited_at')
