"""area list indexes: a place's tickets newest first from its own index, at any page depth

Revision ID: 0023_area_list_indexes
Revises: 0022_partial_new_ticket_indexes
Create Date: 2026-11-30 11:00:00

"""
from alembic import op

revision = '0023_area_list_indexes'
down_revision = '0022_partial_new_ticket_indexes'
branch_labels = None
depends_on = None

# A township's or community's list reads its tickets' (created_at, id) from these two indexes
# alone and sorts them (hotline.tickets.listing.area_streams), the list's filters checked in
# the index; the newest-first walk of the whole table skipped millions of entries to a deep page.
PLACED_INCLUDE = ['status', 'type', 'channel', 'urgent', 'department_code', 'scope_code']


def upgrade():
    op.drop_index('ix_tickets_org_unit_code', table_name='tickets')
    op.create_index('ix_tickets_org_unit_code', 'tickets', ['org_unit_code', 'created_at', 'id'],
                    unique=False, postgresql_ops={'org_unit_code': 'varchar_pattern_ops'},
                    postgresql_include=PLACED_INCLUDE)
    op.drop_index('ix_tickets_scope_created', table_name='tickets')
    op.create_index('ix_tickets_scope_created', 'tickets', ['scope_code', 'created_at', 'id'],
                    unique=False, postgresql_ops={'scope_code': 'varchar_pattern_ops'},
                    postgresql_include=['org_unit_code'])


def downgrade():
    op.drop_index('ix_tickets_scope_created', table_name='tickets')
    op.create_index('ix_tickets_scope_created', 'tickets', ['scope_code', 'created_at', 'id'],
                    unique=False, postgresql_ops={'scope_code': 'varchar_pattern_ops'})
    op.drop_index('ix_tickets_org_unit_code', table_name='tickets')
    op.create_index('ix_tickets_org_unit_code', 'tickets', ['org_unit_code'], unique=False,
                    postgresql_ops={'org_unit_code': 'varchar_pattern_ops'})
