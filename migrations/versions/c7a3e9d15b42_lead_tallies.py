"""lead counts kept per Muscat day for the dashboard (lead_tallies, lead_standard_tallies), back-filled

Revision ID: c7a3e9d15b42
Revises: b61a4be47286
Create Date: 2026-12-06 10:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7a3e9d15b42'
down_revision = 'b61a4be47286'
branch_labels = None
depends_on = None

# The Muscat day of a lead (Oman keeps UTC+4 all year, no daylight saving). SQLite stores UTC text.
DAY = {
    'postgresql': "CAST(leads.created_at AT TIME ZONE 'Asia/Muscat' AS date)",
    'sqlite': "date(leads.created_at, '+4 hours')",
}
ANSWERED = "CASE WHEN leads.first_response_at IS NOT NULL THEN {true} ELSE {false} END"
MERGED = "CASE WHEN leads.duplicate_of_id IS NOT NULL THEN {true} ELSE {false} END"


def upgrade():
    op.create_table(
        'lead_tallies',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Boolean(), nullable=False),
        sa.Column('merged', sa.Boolean(), nullable=False),
        sa.Column('leads', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'status', 'owner_id', 'answered', 'merged', name=op.f('pk_lead_tallies')),
    )
    op.create_table(
        'lead_standard_tallies',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('standard_id', sa.Integer(), nullable=False),
        sa.Column('leads', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'standard_id', name=op.f('pk_lead_standard_tallies')),
    )
    dialect = op.get_bind().dialect.name
    day = DAY[dialect]
    truth = {'true': 'true', 'false': 'false'} if dialect == 'postgresql' else {'true': '1', 'false': '0'}
    # The same counts as portal.leads.tallies.recount, for every day at once (`flask tallies rebuild` does it by day).
    op.execute(
        f"""
        INSERT INTO lead_tallies (day, status, owner_id, answered, merged, leads)
        SELECT day, status, owner_id, answered, merged, count(*) FROM (
            SELECT {day} AS day, leads.status AS status, coalesce(leads.assigned_to_id, 0) AS owner_id,
                   {ANSWERED.format(**truth)} AS answered, {MERGED.format(**truth)} AS merged
            FROM leads
        ) AS keys
        GROUP BY day, status, owner_id, answered, merged
        """
    )
    op.execute(
        f"""
        INSERT INTO lead_standard_tallies (day, standard_id, leads)
        SELECT {day}, lead_standards.standard_id, count(*)
        FROM leads JOIN lead_standards ON lead_standards.lead_id = leads.id
        WHERE leads.status != 'spam'
        GROUP BY {day}, lead_standards.standard_id
        """
    )
    op.create_index(
        'ix_leads_created_counted',
        'leads',
        ['created_at', 'status', 'assigned_to_id', 'first_response_at', 'duplicate_of_id'],
        unique=False,
    )
    op.create_index(
        'ix_leads_answered_created',
        'leads',
        ['created_at'],
        unique=False,
        postgresql_where=sa.text('first_response_at IS NOT NULL'),
        sqlite_where=sa.text('first_response_at IS NOT NULL'),
    )


def downgrade():
    op.drop_index('ix_leads_answered_created', table_name='leads')
    op.drop_index('ix_leads_created_counted', table_name='leads')
    op.drop_table('lead_standard_tallies')
    op.drop_table('lead_tallies')
