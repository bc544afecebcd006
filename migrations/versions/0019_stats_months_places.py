"""monthly, per-department, per-street and per-place statistics aggregates; paused tickets index; overdue indexes cover emergency

Revision ID: 0019_stats_months_places
Revises: 0018_list_paths
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_stats_months_places'
down_revision = '0018_list_paths'
branch_labels = None
depends_on = None

COUNTS = ('received', 'dispatched', 'signed_in_time', 'rated', 'satisfied', 'solved',
          'unreachable', 'refused')
OLD_INCLUDE = ["id", "signed_at", "resolved_at", "department_code", "scope_code", "org_unit_code",
               "number", "type", "urgent", "escalation_level", "paused_at",
               "sla_next_at", "created_at"]  # as 0018_list_paths left them
INDEXES = (('ix_sla_tickets_sign_open', 'sign_due', 'dispatched'),
           ('ix_sla_tickets_resolve_open', 'resolve_due', 'accepted'))


def _overdue_include(include):
    # The figures' overdue counts leave emergencies out: index-only with the flag in the index.
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name, column, status in INDEXES:
        op.drop_index(name, table_name='tickets')
        op.create_index(name, 'tickets', [column], unique=False,
                        postgresql_where=sa.text(f"status = '{status}'"),
                        sqlite_where=sa.text(f"status = '{status}'"),
                        postgresql_include=include)


def _counts():
    return [sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS]


def upgrade():
    # stats_daily gains the street of the place (the next refresh recounts every day).
    op.drop_table('stats_daily')
    op.create_table(
        'stats_daily',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('scope_code', sa.String(length=12), nullable=False),
        sa.Column('district_code', sa.String(length=12), nullable=False),
        sa.Column('street_code', sa.String(length=12), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('day', 'department_code', 'scope_code', 'district_code',
                                'street_code', name=op.f('pk_stats_daily')),
    )
    op.create_table(
        'stats_monthly',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('district_code', sa.String(length=12), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('scope_code', sa.String(length=12), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('month', 'district_code', 'department_code', 'scope_code',
                                name=op.f('pk_stats_monthly')),
    )
    op.create_table(
        'stats_dept_monthly',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('scope_code', sa.String(length=12), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('month', 'department_code', 'scope_code',
                                name=op.f('pk_stats_dept_monthly')),
    )
    op.create_table(
        'stats_street_monthly',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('scope_district', sa.String(length=12), nullable=False),
        sa.Column('street_code', sa.String(length=12), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('month', 'scope_district', 'street_code',
                                name=op.f('pk_stats_street_monthly')),
    )
    for name, period, length in (('stats_place', 'day', 10),
                                 ('stats_place_monthly', 'month', 7)):
        op.create_table(
            name,
            sa.Column(period, sa.String(length=length), nullable=False),
            sa.Column('place', sa.String(length=12), nullable=False),
            sa.Column('scope_district', sa.String(length=12), nullable=False),
            sa.Column('function', sa.String(length=40), nullable=False),
            sa.Column('tickets', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(period, 'place', 'scope_district', 'function',
                                    name=op.f(f'pk_{name}')),
        )
    op.create_table(
        'stats_spot_monthly',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('place', sa.String(length=12), nullable=False),
        sa.Column('scope_district', sa.String(length=12), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'place', 'scope_district',
                                name=op.f('pk_stats_spot_monthly')),
    )
    op.create_index('ix_tickets_paused_scope', 'tickets', ['scope_code'], unique=False,
                    postgresql_where=sa.text('paused_at IS NOT NULL'),
                    sqlite_where=sa.text('paused_at IS NOT NULL'),
                    postgresql_include=['department_code', 'org_unit_code', 'status', 'emergency'],
                    postgresql_ops={'scope_code': 'varchar_pattern_ops'})
    _overdue_include([*OLD_INCLUDE, 'emergency'])
    # The new tables start empty: the next refresh recounts every day (rebuild).
    op.execute("DELETE FROM stats_watermark")


def downgrade():
    _overdue_include(OLD_INCLUDE)
    op.drop_index('ix_tickets_paused_scope', table_name='tickets')
    op.drop_table('stats_spot_monthly')
    op.drop_table('stats_place_monthly')
    op.drop_table('stats_place')
    op.drop_table('stats_street_monthly')
    op.drop_table('stats_dept_monthly')
    op.drop_table('stats_monthly')
    op.drop_table('stats_daily')
    op.create_table(
        'stats_daily',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('scope_code', sa.String(length=12), nullable=False),
        sa.Column('district_code', sa.String(length=12), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint('day', 'department_code', 'scope_code', 'district_code',
                                name=op.f('pk_stats_daily')),
    )
    op.execute("DELETE FROM stats_watermark")
