"""leads first_response_at: when a consultant first called, e-mailed or moved the lead

Backfilled from the timeline: the earliest call, e-mail or status change with an author
(a consultant or admin; system entries have none) on each lead.

Revision ID: e41f7a2b9c63
Revises: cf06b6b6e7de
Create Date: 2026-12-06 07:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e41f7a2b9c63'
down_revision = 'cf06b6b6e7de'
branch_labels = None
depends_on = None

RESPONSE_KINDS = ("call", "email", "status_change")
leads = sa.table("leads", sa.column("id", sa.Integer), sa.column("first_response_at", sa.DateTime(timezone=True)))
activities = sa.table(
    "activities",
    sa.column("lead_id", sa.Integer),
    sa.column("author_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True))
    first = (
        sa.select(sa.func.min(activities.c.created_at))
        .where(
            activities.c.lead_id == leads.c.id,
            activities.c.author_id.is_not(None),
            activities.c.kind.in_(RESPONSE_KINDS),
        )
        .scalar_subquery()
    )
    op.execute(leads.update().values(first_response_at=first))


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('first_response_at')
