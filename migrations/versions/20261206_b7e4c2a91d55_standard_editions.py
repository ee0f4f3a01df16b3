"""standard_editions: each standard's editions, publication dates and IAF transition ends;
engagement_editions: the editions an engagement's certificate is to

Rows come from `flask seed reference` (portal/data/standard_editions.json); an admin
keeps them current on the standard-editions page. Engagements certified before this
revision have no edition recorded until their next certification decision.

Revision ID: b7e4c2a91d55
Revises: f507e2b07d3b
Create Date: 2026-12-06 05:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e4c2a91d55'
down_revision = 'f507e2b07d3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'standard_editions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('standard_id', sa.Integer(), nullable=False),
        sa.Column('edition', sa.String(length=60), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('previous_edition_ends_on', sa.Date(), nullable=True),
        sa.Column('source', sa.String(length=500), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ['standard_id'],
            ['standards.id'],
            name=op.f('fk_standard_editions_standard_id_standards'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_editions')),
        sa.UniqueConstraint('standard_id', 'edition', name='uq_standard_editions_standard_edition'),
    )
    op.create_table(
        'engagement_editions',
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('standard_edition_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['engagement_id'],
            ['engagements.id'],
            name=op.f('fk_engagement_editions_engagement_id_engagements'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['standard_edition_id'],
            ['standard_editions.id'],
            name=op.f('fk_engagement_editions_standard_edition_id_standard_editions'),
        ),
        sa.PrimaryKeyConstraint('engagement_id', 'standard_edition_id', name=op.f('pk_engagement_editions')),
    )


def downgrade():
    op.drop_table('engagement_editions')
    op.drop_table('standard_editions')
