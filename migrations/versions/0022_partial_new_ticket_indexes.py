"""indexes a new ticket has no entry in: department and SLA clock are NULL at intake

Revision ID: 0022_partial_new_ticket_indexes
Revises: 0021_overdue_csv_texts
Create Date: 2026-11-30 05:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022_partial_new_ticket_indexes'
down_revision = '0021_overdue_csv_texts'
branch_labels = None
depends_on = None

# Every read through them names a department or a moment, which implies the condition.
INDEXES = [
    ('ix_tickets_department_created', ['department_code', 'created_at', 'id'],
     'department_code IS NOT NULL'),
    ('ix_tickets_department_status', ['department_code', 'status', 'updated_at'],
     'department_code IS NOT NULL'),
    ('ix_tickets_sla_next_at', ['sla_next_at'], 'sla_next_at IS NOT NULL'),
]


def upgrade():
    for name, columns, where in INDEXES:
        op.drop_index(name, table_name='tickets')
        op.create_index(name, 'tickets', columns, unique=False,
                        postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def downgrade():
    for name, columns, _where in INDEXES:
        op.drop_index(name, table_name='tickets')
        op.create_index(name, 'tickets', columns, unique=False)
