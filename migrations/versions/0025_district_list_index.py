"""district list index: a district's tickets newest first from their own index, at any depth

Revision ID: 0025_district_list_index
Revises: 0024_lighter_intake_indexes
Create Date: 2026-11-30 23:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_district_list_index"
down_revision = "0024_lighter_intake_indexes"
branch_labels = None
depends_on = None

# A district supervisor's deep page walked the city's newest-first index and skipped some
# twenty other districts' tickets for each of its own (page 200 read 220,000 entries at a
# city-year). An expression over the scope: PostgreSQL only (SQLite's lists are small).
LIST_INCLUDE = ["status", "type", "channel", "urgent", "department_code", "scope_code",
                "org_unit_code"]  # fmt: skip


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_tickets_district_created", "tickets",
                        [sa.text("substr(scope_code, 1, 6)"), "created_at", "id"], unique=False,
                        postgresql_include=LIST_INCLUDE)  # fmt: skip


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tickets_district_created", table_name="tickets")
