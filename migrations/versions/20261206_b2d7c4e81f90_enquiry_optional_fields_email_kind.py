"""leads: employees and sites may be unknown; email_kind (company, free, disposable)

The short enquiry form leaves personnel and sites optional, so a lead may not know
them. Existing leads keep their figures and are taken as company addresses.

Revision ID: b2d7c4e81f90
Revises: e4f1a9c27b63
Create Date: 2026-12-06 08:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2d7c4e81f90'
down_revision = 'e4f1a9c27b63'
branch_labels = None
depends_on = None

leads = sa.table("leads", sa.column("employees", sa.Integer), sa.column("sites", sa.Integer))


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_kind', sa.String(length=20), server_default='company', nullable=False))
        batch_op.alter_column('employees', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('sites', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # A lead without figures gets the smallest ones the old schema allows.
    op.execute(leads.update().where(leads.c.employees.is_(None)).values(employees=1))
    op.execute(leads.update().where(leads.c.sites.is_(None)).values(sites=1))
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.alter_column('sites', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('employees', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('email_kind')
