"""Lead attachments

Files consultants attach to a lead (scope documents, org charts): one row per file, whose
bytes live in stored_files under `leads/<stored_name>`. A new table only; no data moves.

Revision ID: cf06b6b6e7de
Revises: c3a9f1e27b40
Create Date: 2026-12-06 07:13:15.774618
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'cf06b6b6e7de'
down_revision = 'c3a9f1e27b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.CheckConstraint('size >= 1', name=op.f('ck_lead_attachments_size_positive')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_attachments_lead_id_leads')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_lead_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_lead_attachments_stored_name'))
    )
    with op.batch_alter_table('lead_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_lead_attachments_lead_created', ['lead_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('lead_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_attachments_lead_created')

    op.drop_table('lead_attachments')
