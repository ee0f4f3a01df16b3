"""users.locale: the language a staff member's workspace and e-mails are written in;
outbox_messages.language: the language a message was written in (its Content-Language)

Existing staff keep English, the only language so far; existing messages have none recorded.

Revision ID: c3a9f1e27b40
Revises: c3a81f0e6d42
Create Date: 2026-12-06 07:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a9f1e27b40'
down_revision = 'c3a81f0e6d42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), server_default='en', nullable=False))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
