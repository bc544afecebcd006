"""stats daily aggregates and their watermark; tickets updated_at index

Revision ID: 0016_stats_daily
Revises: 0015_list_indexes
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_stats_daily'
down_revision = '0015_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stats_daily',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('scope_code', sa.String(length=12), nullable=False),
        sa.Column('district_code', sa.String(length=12), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('dispatched', sa.Integer(), nullable=False),
        sa.Column('signed_in_time', sa.Integer(), nullable=False),
        sa.Column('rated', sa.Integer(), nullable=False),
        sa.Column('satisfied', sa.Integer(), nullable=False),
        sa.Column('solved', sa.Integer(), nullable=False),
        sa.Column('unreachable', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'department_code', 'scope_code', 'district_code',
                                name=op.f('pk_stats_daily')),
    )
    op.create_table(
        'stats_area',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('scope_district', sa.String(length=12), nullable=False),
        sa.Column('district_code', sa.String(length=12), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('dispatched', sa.Integer(), nullable=False),
        sa.Column('signed_in_time', sa.Integer(), nullable=False),
        sa.Column('rated', sa.Integer(), nullable=False),
        sa.Column('satisfied', sa.Integer(), nullable=False),
        sa.Column('solved', sa.Integer(), nullable=False),
        sa.Column('unreachable', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'scope_district', 'district_code',
                                name=op.f('pk_stats_area')),
    )
    op.create_table(
        'stats_watermark',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('changed_until', sa.DateTime(), nullable=False),
        sa.Column('as_of', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_stats_watermark')),
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_updated_at')
    op.drop_table('stats_watermark')
    op.drop_table('stats_area')
    op.drop_table('stats_daily')
