"""lead tags and the inbox's saved views, with each user's default view

Revision ID: b5d2e8f1a7c4
Revises: b2d7c4e81f90
Create Date: 2026-12-06 08:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5d2e8f1a7c4'
down_revision = 'b2d7c4e81f90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('colour', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
        sa.UniqueConstraint('name', name=op.f('uq_tags_name')),
    )
    op.create_table(
        'lead_tags',
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('tag_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_tags_lead_id_leads'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_lead_tags_tag_id_tags'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('lead_id', 'tag_id', name=op.f('pk_lead_tags')),
    )
    op.create_index('ix_lead_tags_tag_lead', 'lead_tags', ['tag_id', 'lead_id'], unique=False)
    op.create_table(
        'saved_views',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('query', sa.String(length=1000), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['users.id'], name=op.f('fk_saved_views_owner_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views')),
    )
    op.create_index('ix_saved_views_owner', 'saved_views', ['owner_id'], unique=False)
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('default_view_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_users_default_view_id', 'saved_views', ['default_view_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint('fk_users_default_view_id', type_='foreignkey')
        batch_op.drop_column('default_view_id')
    op.drop_index('ix_saved_views_owner', table_name='saved_views')
    op.drop_table('saved_views')
    op.drop_index('ix_lead_tags_tag_lead', table_name='lead_tags')
    op.drop_table('lead_tags')
    op.drop_table('tags')
