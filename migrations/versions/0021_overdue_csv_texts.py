"""the open work's matter and address in a covering index, for the overdue CSV (PostgreSQL)

Revision ID: 0021_overdue_csv_texts
Revises: 0020_assessment_rollup
Create Date: 2026-11-30 02:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021_overdue_csv_texts'
down_revision = '0020_assessment_rollup'
branch_labels = None
depends_on = None

# A btree entry holds 2,704 bytes at most: longer descriptions stay out of the index.
WHERE = "status IN ('dispatched', 'accepted') AND octet_length(description) <= 1800"


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_sla_tickets_open_text', 'tickets', ['id'], unique=False,
                        postgresql_where=sa.text(WHERE),
                        postgresql_include=['description', 'address'])


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_sla_tickets_open_text', table_name='tickets')
