"""mla_signatures: per accreditation body, the MLA scopes it signed, with source and date;
standards scoped by other schemes than IAF sectors

Replaces accreditation_bodies.mla_scopes (a comma-separated list). Its scopes that are
MLA sub-scopes are kept, with the main scope "MS" for every signatory; "BCMS" and
"ABMS" are dropped: ISO 22301 and ISO 37001 have no MLA sub-scope (IAF MLA Annex 1).

Revision ID: a3c7e5d91f20
Revises: 4828fca14bd2
Create Date: 2026-12-06 05:20:00.000000
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3c7e5d91f20'
down_revision = '4828fca14bd2'
branch_labels = None
depends_on = None

SUBSCOPES = ("QMS", "EMS", "OHSMS", "FSMS", "ISMS", "MDMS", "EnMS")
SOURCE = "Former list of MLA scopes in the portal (accreditation_bodies.mla_scopes)"
# How these standards' accreditation scopes are written (see portal.domain.accreditation.ScopeScheme).
SCHEMES = {
    "ISO/IEC 27001:2022": "own_wording",
    "ISO 50001:2018": "energy_area",
    "ISO 22301:2019": "own_wording",
    "ISO 37001:2016": "own_wording",
    "ISO/IEC 20000-1:2018": "own_wording",
    "ISO 28000:2022": "own_wording",
    "ISO 37301:2021": "own_wording",
    "ISO 39001:2012": "own_wording",
    "ISO/IEC 42001:2023": "own_wording",
}


def upgrade():
    signatures = op.create_table(
        'mla_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accreditation_body_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('recognised_on', sa.Date(), nullable=True),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ['accreditation_body_id'],
            ['accreditation_bodies.id'],
            name=op.f('fk_mla_signatures_accreditation_body_id_accreditation_bodies'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mla_signatures')),
        sa.UniqueConstraint('accreditation_body_id', 'scope', name='uq_mla_signatures_body_scope'),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    bodies = connection.execute(
        sa.text("SELECT id, mla_scopes FROM accreditation_bodies WHERE iaf_mla_signatory")
    ).all()
    rows = []
    for body_id, listed in bodies:
        scopes = [scope for scope in SUBSCOPES if scope in {s.strip() for s in (listed or "").split(",")}]
        for scope in ["MS", *scopes]:
            rows.append(
                {"created_at": now, "updated_at": now, "accreditation_body_id": body_id, "scope": scope, "source": SOURCE}
            )
    if rows:
        op.bulk_insert(signatures, rows)
    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.drop_column('mla_scopes')
    standards = sa.table('standards', sa.column('code', sa.String), sa.column('scope_scheme', sa.String))
    for code, scheme in SCHEMES.items():
        op.execute(
            standards.update()
            .where(standards.c.code == code, standards.c.scope_scheme == 'iaf')
            .values(scope_scheme=scheme)
        )


def downgrade():
    with op.batch_alter_table('accreditation_bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mla_scopes', sa.String(length=200), nullable=False, server_default=''))
    op.execute(
        "UPDATE accreditation_bodies SET mla_scopes = COALESCE(("
        " SELECT string_agg(scope, ',') FROM mla_signatures"
        " WHERE accreditation_body_id = accreditation_bodies.id AND scope <> 'MS'), '')"
        if op.get_bind().dialect.name == 'postgresql'
        else "UPDATE accreditation_bodies SET mla_scopes = COALESCE(("
        " SELECT group_concat(scope, ',') FROM mla_signatures"
        " WHERE accreditation_body_id = accreditation_bodies.id AND scope <> 'MS'), '')"
    )
    op.drop_table('mla_signatures')
    standards = sa.table('standards', sa.column('code', sa.String), sa.column('scope_scheme', sa.String))
    op.execute(standards.update().where(standards.c.code.in_(list(SCHEMES))).values(scope_scheme='iaf'))
