"""indexes a new ticket need not feed: its feedback and receipt NULLs, its two events

Revision ID: 0024_lighter_intake_indexes
Revises: 0023_area_list_indexes
Create Date: 2026-11-30 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0024_lighter_intake_indexes"
down_revision = "0023_area_list_indexes"
branch_labels = None
depends_on = None

# A new ticket's feedback row is not dispatched or corrected yet and its receipt has no
# provider id: every read through these names a moment or an id, which implies the condition.
PARTIAL = [
    (
        "routing_feedback",
        "ix_routing_feedback_dispatched_at",
        ["dispatched_at"],
        "dispatched_at IS NOT NULL",
    ),
    (
        "routing_feedback",
        "ix_routing_feedback_corrected_at",
        ["corrected_at"],
        "corrected_at IS NOT NULL",
    ),
    (
        "routing_feedback",
        "ix_routing_feedback_rule_dispatched",
        ["rule", "dispatched_at"],
        "dispatched_at IS NOT NULL",
    ),
    (
        "routing_feedback",
        "ix_routing_feedback_function_dispatched",
        ["function", "dispatched_at"],
        "dispatched_at IS NOT NULL",
    ),
    ("outbox", "ix_outbox_provider_sid", ["provider_sid"], "provider_sid IS NOT NULL"),
    # Reads by action look for rarer steps; the two every intake writes are left out.
    ("ticket_events", "ix_ticket_events_action", ["action"], "action NOT IN ('create', 'route')"),
]


def upgrade():
    for table, name, columns, where in PARTIAL:
        op.drop_index(name, table_name=table)
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )


def downgrade():
    for table, name, columns, _where in PARTIAL:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
