"""standards.code without the edition year ("ISO 9001", not "ISO 9001:2015")

A code carrying a year went stale the day a new edition came out (ISO 14001:2026 was
published while the code still said 2015); editions and their years now live in
standard_editions. Data only: the fourteen seeded codes are renamed, any other row is left
as it is. `flask seed reference` upserts by the new codes afterwards.

Revision ID: c3a81f0e6d42
Revises: b7e4c2a91d55
Create Date: 2026-12-06 07:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a81f0e6d42'
down_revision = 'b7e4c2a91d55'
branch_labels = None
depends_on = None

# The codes as seeded before this revision.
OLD_CODES = (
    "ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "ISO/IEC 27001:2022", "ISO 22000:2018",
    "ISO 13485:2016", "ISO 50001:2018", "ISO 22301:2019", "ISO 37001:2016", "ISO/IEC 20000-1:2018",
    "ISO 28000:2022", "ISO 37301:2021", "ISO 39001:2012", "ISO/IEC 42001:2023",
)
standards = sa.table("standards", sa.column("code", sa.String))


def _rename(pairs):
    for old, new in pairs:
        op.execute(standards.update().where(standards.c.code == old).values(code=new))


def upgrade():
    _rename((old, old.split(":")[0]) for old in OLD_CODES)


def downgrade():
    _rename((old.split(":")[0], old) for old in OLD_CODES)
