"""assessment figures from the aggregates: resolved, resolved in time and excluded counts; daily deductions; indexes of red cards and review verdicts by time

Revision ID: 0020_assessment_rollup
Revises: 0019_stats_months_places
Create Date: 2026-11-30 01:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0020_assessment_rollup'
down_revision = '0019_stats_months_places'
branch_labels = None
depends_on = None

ASSESSED = ('resolved', 'resolved_in_time', 'excluded')
TABLES = ('stats_daily', 'stats_dept_monthly', 'stats_street_monthly')
REVIEWS = "action IN ('review_request', 'review_reply')"


def upgrade():
    for table in TABLES:
        for column in ASSESSED:
            # The default only fills the rows already there; the next refresh recounts them.
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=False,
                                           server_default=sa.text('0')))
    op.create_table(
        'stats_deductions',
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('department_code', sa.String(length=40), nullable=False),
        sa.Column('street_code', sa.String(length=12), nullable=False),
        sa.Column('red_cards', sa.Integer(), nullable=False),
        sa.Column('refused_returns', sa.Integer(), nullable=False),
        sa.Column('replies_sent_back', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'department_code', 'street_code',
                                name=op.f('pk_stats_deductions')),
    )
    op.create_index('ix_sla_marks_overdue_created', 'sla_marks', ['created_at'], unique=False,
                    postgresql_where=sa.text("kind = 'overdue'"),
                    sqlite_where=sa.text("kind = 'overdue'"),
                    postgresql_include=['ticket_id'])
    op.create_index('ix_ticket_events_reviews_at', 'ticket_events', ['at'], unique=False,
                    postgresql_where=sa.text(REVIEWS), sqlite_where=sa.text(REVIEWS),
                    postgresql_include=['ticket_id'])
    # The new counts are zero until counted: forget the watermark so that the next run of the
    # job (or `hotline stats rebuild`) counts every day again.
    op.execute("DELETE FROM stats_watermark")


def downgrade():
    op.drop_index('ix_ticket_events_reviews_at', table_name='ticket_events')
    op.drop_index('ix_sla_marks_overdue_created', table_name='sla_marks')
    op.drop_table('stats_deductions')
    for table in TABLES:
        for column in ASSESSED:
            with op.batch_alter_table(table) as batch:
                batch.drop_column(column)
    op.execute("DELETE FROM stats_watermark")
