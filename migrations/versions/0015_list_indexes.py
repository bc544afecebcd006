"""list indexes: created_at with id, scope and department with created_at, pattern ops

Revision ID: 0015_list_indexes
Revises: 0014_routing_traces
Create Date: 2026-11-29 19:55:00

"""
from alembic import op


revision = '0015_list_indexes'
down_revision = '0014_routing_traces'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_created_at')
        batch_op.drop_index('ix_tickets_scope_code')
        batch_op.drop_index('ix_tickets_org_unit_code')
        batch_op.create_index('ix_tickets_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_tickets_scope_created', ['scope_code', 'created_at', 'id'],
                              unique=False, postgresql_ops={'scope_code': 'varchar_pattern_ops'})
        batch_op.drop_index('ix_tickets_department_code')
        batch_op.create_index('ix_tickets_department_created',
                              ['department_code', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_tickets_org_unit_code', ['org_unit_code'], unique=False,
                              postgresql_ops={'org_unit_code': 'varchar_pattern_ops'})


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_org_unit_code')
        batch_op.drop_index('ix_tickets_department_created')
        batch_op.create_index('ix_tickets_department_code', ['department_code'], unique=False)
        batch_op.drop_index('ix_tickets_scope_created')
        batch_op.drop_index('ix_tickets_created_id')
        batch_op.create_index('ix_tickets_org_unit_code', ['org_unit_code'], unique=False)
        batch_op.create_index('ix_tickets_scope_code', ['scope_code'], unique=False)
        batch_op.create_index('ix_tickets_created_at', ['created_at'], unique=False)
