"""follow-up calls: who rated, failed attempts, unreachable/refused results; emergency flag

Revision ID: 0012_followup_calls
Revises: 0011_security_hardening
Create Date: 2026-11-29 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_followup_calls'
down_revision = '0011_security_hardening'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rated_by', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('followup_attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('followup_result', sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column('emergency', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('emergency')
        batch_op.drop_column('followup_result')
        batch_op.drop_column('followup_attempts')
        batch_op.drop_column('rated_by')
