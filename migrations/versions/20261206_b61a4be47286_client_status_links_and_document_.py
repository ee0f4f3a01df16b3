"""Client status page: signed links (only the nonce's hash kept) and document requests with their uploads

New tables only; nothing existing changes.

Revision ID: b61a4be47286
Revises: fd38a0ebeb8f
Create Date: 2026-12-06 10:21:14.684024
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b61a4be47286'
down_revision = 'fd38a0ebeb8f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('requested', 'submitted', 'accepted', 'returned')", name=op.f('ck_document_requests_document_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_document_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_document_requests_engagement_id_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_document_requests_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_requests'))
    )
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.create_index('ix_document_requests_engagement', ['engagement_id', 'due_date'], unique=False)
        batch_op.create_index('ix_document_requests_status_due', ['status', 'due_date'], unique=False)

    op.create_table('status_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_status_links_created_by_id_users')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_status_links_engagement_id_engagements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_links'))
    )
    with op.batch_alter_table('status_links', schema=None) as batch_op:
        batch_op.create_index('ix_status_links_engagement_created', ['engagement_id', 'created_at'], unique=False)

    op.create_table('document_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['document_requests.id'], name=op.f('fk_document_uploads_request_id_document_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_uploads'))
    )
    with op.batch_alter_table('document_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_uploads_request_id'), ['request_id'], unique=False)



def downgrade():
    with op.batch_alter_table('document_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_uploads_request_id'))

    op.drop_table('document_uploads')
    with op.batch_alter_table('status_links', schema=None) as batch_op:
        batch_op.drop_index('ix_status_links_engagement_created')

    op.drop_table('status_links')
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_document_requests_status_due')
        batch_op.drop_index('ix_document_requests_engagement')

    op.drop_table('document_requests')
