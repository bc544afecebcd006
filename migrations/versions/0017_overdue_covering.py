"""overdue partial indexes cover the overdue list's columns (PostgreSQL)

Revision ID: 0017_overdue_covering
Revises: 0016_stats_daily
Create Date: 2026-11-29 20:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_overdue_covering'
down_revision = '0016_stats_daily'
branch_labels = None
depends_on = None

INCLUDE = ["id", "signed_at", "resolved_at", "department_code", "scope_code", "org_unit_code",
           "number", "type", "urgent", "escalation_level", "paused_at"]
INDEXES = (('ix_sla_tickets_sign_open', 'sign_due', 'dispatched'),
           ('ix_sla_tickets_resolve_open', 'resolve_due', 'accepted'))


def _create(include):
    for name, column, status in INDEXES:
        op.drop_index(name, table_name='tickets')
        op.create_index(name, 'tickets', [column], unique=False,
                        postgresql_where=sa.text(f"status = '{status}'"),
                        sqlite_where=sa.text(f"status = '{status}'"),
                        postgresql_include=include)


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _create(INCLUDE)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _create([])
