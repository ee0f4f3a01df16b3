"""standard_editions: each standard's editions, publication dates and IAF transition ends

Rows come from `flask seed reference` (portal/data/standard_editions.json); an admin
keeps them current on the standard-editions page.

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


def downgrade():
    op.drop_table('standard_editions')
