"""routing traces out of the tickets table; compact routing

Revision ID: 0014_routing_traces
Revises: 0013_accountability_workflow
Create Date: 2026-11-29 19:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_routing_traces'
down_revision = '0013_accountability_workflow'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ticket_traces',
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('trace', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_traces_ticket_id_tickets'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_traces')),
    )
    # Move each stored trace to its own row and keep the proposal alone in the hot table.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("INSERT INTO ticket_traces (ticket_id, trace) SELECT id, routing -> 'trace'"
                   " FROM tickets WHERE routing IS NOT NULL AND routing::jsonb ? 'trace'")
        op.execute("UPDATE tickets SET routing = (routing::jsonb - 'trace')::json"
                   " WHERE routing IS NOT NULL AND routing::jsonb ? 'trace'")
    else:
        op.execute("INSERT INTO ticket_traces (ticket_id, trace) SELECT id,"
                   " json_extract(routing, '$.trace') FROM tickets"
                   " WHERE json_extract(routing, '$.trace') IS NOT NULL")
        op.execute("UPDATE tickets SET routing = json_remove(routing, '$.trace')"
                   " WHERE json_extract(routing, '$.trace') IS NOT NULL")


def downgrade():
    op.drop_table('ticket_traces')
