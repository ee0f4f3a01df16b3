"""Certificate states, days without certification, and transfers

Certificate states (suspended, withdrawn, restored; expired is derived), the days without
certification after a restoration (ISO/IEC 17021-1 9.6.3.2.5), and transfers of certification
from another body with their pre-transfer review (IAF MD 2).

Existing engagements start with an active certificate state; the server default only fills
them in and is dropped again, so the models stay the one statement of defaults.

Revision ID: f507e2b07d3b
Revises: a3c7e5d91f20
Create Date: 2026-12-06 05:09:03.942932
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f507e2b07d3b'
down_revision = 'a3c7e5d91f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('issuing_body', sa.String(length=200), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=False),
    sa.Column('reviewer', sa.String(length=120), nullable=False),
    sa.Column('review_outcome', sa.String(length=30), nullable=False),
    sa.Column('review_notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_certificate_transfers_engagement_id_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_certificate_transfers_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_transfers')),
    sa.UniqueConstraint('engagement_id', name=op.f('uq_certificate_transfers_engagement_id'))
    )
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_state', sa.String(length=20), nullable=False, server_default='active'))
        batch_op.add_column(sa.Column('certificate_state_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('certificate_state_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('not_certified_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('not_certified_until', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_engagements_certificate_state'), ['certificate_state'], unique=False)
        batch_op.create_check_constraint(
            'certificate_state_known', "certificate_state IN ('active', 'suspended', 'withdrawn', 'restored')"
        )
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.alter_column('certificate_state', server_default=None)
        batch_op.alter_column('certificate_state_reason', server_default=None)



def downgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_engagements_certificate_state_known'), type_='check')
        batch_op.drop_index(batch_op.f('ix_engagements_certificate_state'))
        batch_op.drop_column('not_certified_until')
        batch_op.drop_column('not_certified_from')
        batch_op.drop_column('certificate_state_reason')
        batch_op.drop_column('certificate_state_date')
        batch_op.drop_column('certificate_state')

    op.drop_table('certificate_transfers')
