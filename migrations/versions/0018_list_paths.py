"""list paths: department inbox, paused clocks, sent-back events, filtered newest-first lists

Revision ID: 0018_list_paths
Revises: 0017_overdue_covering
Create Date: 2026-11-29 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_list_paths'
down_revision = '0017_overdue_covering'
branch_labels = None
depends_on = None


LIST_INCLUDE = ['status', 'type', 'channel', 'urgent', 'department_code', 'scope_code',
                'org_unit_code']


OVERDUE_INCLUDE = ['id', 'signed_at', 'resolved_at', 'department_code', 'scope_code',
                   'org_unit_code', 'number', 'type', 'urgent', 'escalation_level', 'paused_at']
OVERDUE_INDEXES = (('ix_sla_tickets_sign_open', 'sign_due', 'dispatched'),
                   ('ix_sla_tickets_resolve_open', 'resolve_due', 'accepted'))


def _overdue(include):
    for name, column, status in OVERDUE_INDEXES:
        op.drop_index(name, table_name='tickets')
        op.create_index(name, 'tickets', [column], unique=False,
                        postgresql_where=sa.text(f"status = '{status}'"),
                        sqlite_where=sa.text(f"status = '{status}'"),
                        postgresql_include=include)


def _created_id(include):
    op.drop_index('ix_tickets_created_id', table_name='tickets')
    op.create_index('ix_tickets_created_id', 'tickets', ['created_at', 'id'], unique=False,
                    postgresql_include=include)


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _created_id(LIST_INCLUDE)
        # The open work's partial indexes also answer the list's 临期 and overdue filters.
        _overdue(OVERDUE_INCLUDE + ['sla_next_at', 'created_at'])
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_status_created')
        batch_op.create_index('ix_tickets_status_created', ['status', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_tickets_type_created', ['type', 'created_at', 'id'],
                              unique=False, postgresql_include=['scope_code', 'org_unit_code'])
        batch_op.create_index('ix_tickets_urgent_created', ['created_at', 'id'], unique=False,
                              postgresql_where=sa.text('urgent'), sqlite_where=sa.text('urgent'))
        batch_op.create_index('ix_tickets_department_status',
                              ['department_code', 'status', 'updated_at'], unique=False)
        batch_op.create_index('ix_tickets_follow_up', ['resolved_at', 'updated_at'], unique=False,
                              postgresql_where=sa.text("status IN ('resolved', 'answered')"),
                              sqlite_where=sa.text("status IN ('resolved', 'answered')"),
                              postgresql_include=['id', 'rated_at', 'rating', 'emergency'])
        batch_op.create_index('ix_tickets_paused', ['paused_until', 'id'], unique=False,
                              postgresql_where=sa.text('paused_at IS NOT NULL'),
                              sqlite_where=sa.text('paused_at IS NOT NULL'))
    if op.get_bind().dialect.name == 'postgresql':
        # An expression over JSON: PostgreSQL only (SQLite reads its few events without it).
        op.create_index('ix_ticket_events_sent_back', 'ticket_events',
                        [sa.text("(data ->> 'department')"), 'at'], unique=False,
                        postgresql_where=sa.text("action IN ('return', 'return_request')"))


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_ticket_events_sent_back', table_name='ticket_events')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_urgent_created')
        batch_op.drop_index('ix_tickets_type_created')
        batch_op.drop_index('ix_tickets_paused')
        batch_op.drop_index('ix_tickets_follow_up')
        batch_op.drop_index('ix_tickets_department_status')
        batch_op.drop_index('ix_tickets_status_created')
        batch_op.create_index('ix_tickets_status_created', ['status', 'created_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        _overdue(OVERDUE_INCLUDE)
        _created_id([])
