"""the inbox search text ends with the reference (search by ENQ-2026-000123, 2026-000123, 000123)

PostgreSQL only: the trigram index over the lower-cased search text is rebuilt over the
new text (portal/models/lead.py, LEAD_SEARCH_TEXT). SQLite has no such index and scans.
On a large table the rebuild takes a while (about a minute per million leads); it locks
the table for writes meanwhile, so run it outside office hours.

Revision ID: e4f1a9c27b63
Revises: e41f7a2b9c63
Create Date: 2026-12-06 07:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4f1a9c27b63'
down_revision = 'e41f7a2b9c63'
branch_labels = None
depends_on = None

FIELDS = "company || ' ' || contact_name || ' ' || email || ' ' || phone || ' ' || message"


def _rebuild(text: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_leads_search_trgm', table_name='leads')
    op.create_index(
        'ix_leads_search_trgm', 'leads', [sa.text(f"lower({text}) gin_trgm_ops")], postgresql_using='gin'
    )


def upgrade():
    _rebuild(FIELDS + " || ' ' || coalesce(reference, '')")


def downgrade():
    _rebuild(FIELDS)
