"""ticket search: normalised text, bigram tokens, pg_trgm

Revision ID: 0008_ticket_search
Revises: 0007_accountability_figures
Create Date: 2026-11-29 19:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0008_ticket_search'
down_revision = '0007_accountability_figures'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    grams = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('search_grams', grams, nullable=True))
    if not postgres:
        # SQLite searches with LIKE on the ticket's own columns: these stay empty.
        op.create_index('ix_tickets_search_grams', 'tickets', ['search_grams'])
        op.create_index('ix_tickets_search_trgm', 'tickets', ['search_text'])
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    # Existing tickets: text from description, address, reply and notes, then its tokens
    # (two-character windows over the text, plus "#" and the phone's last four digits).
    op.execute(r"""
        UPDATE tickets t SET search_text = lower(concat_ws(E'\n', t.description, t.address,
            t.reply, (SELECT string_agg(e.data->>'text', E'\n' ORDER BY e.id)
                      FROM ticket_events e WHERE e.ticket_id = t.id AND e.action IN ('note', 'resident_note'))))
    """)
    op.execute(r"""
        UPDATE tickets t SET search_grams = ARRAY(
            SELECT DISTINCT g FROM (
                SELECT substr(w, i, 2) AS g
                FROM regexp_split_to_table(t.search_text, '\W+') AS w,
                     generate_series(1, greatest(length(w) - 1, 1)) AS i
                WHERE length(w) > 0
                UNION SELECT '#' || right(t.phone, 4)
            ) s ORDER BY g)
    """)
    op.create_index('ix_tickets_search_grams', 'tickets', ['search_grams'],
                    postgresql_using='gin')
    op.create_index('ix_tickets_search_trgm', 'tickets', ['search_text'],
                    postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade():
    op.drop_index('ix_tickets_search_trgm', table_name='tickets')
    op.drop_index('ix_tickets_search_grams', table_name='tickets')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('search_grams')
        batch_op.drop_column('search_text')
