"""leads and engagements record when their personal data was erased

Revision ID: c7e3a9d15f20
Revises: b5d2e8f1a7c4
Create Date: 2026-12-06 10:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7e3a9d15f20'
down_revision = 'b5d2e8f1a7c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
