"""Queue outbound messages in the outbox, in the caller's transaction."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, case, exists, literal
from sqlalchemy.dialects import postgresql, sqlite

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.tasks.queues import NOTIFICATIONS, enqueue_after_commit


def queue_message(
    kind: str, to: str | None, body: str, dedup_key: str, ticket_id: int | None = None
) -> int | None:
    """Add a message to the outbox unless the same cause already queued it; return its id.

    Returns None when there is no number or the message was queued before, so retried
    webhooks and double sweeps never send twice. One INSERT … ON CONFLICT DO NOTHING: no
    look-up first and no savepoint, because a sweep queues thousands of these.
    """
    if not to:
        return None
    now = utcnow()
    params = {"kind": kind, "to": to, "body": body[:1600], "dedup_key": dedup_key,
              "ticket_id": ticket_id, "now": now}  # fmt: skip
    stmt = _insert_statement(db.session.get_bind().dialect.name, kind.startswith("resident"))
    row = db.session.execute(stmt, params).first()
    message_id = row.id if row is not None else None
    if row is not None and row.state == "pending":
        enqueue_after_commit(NOTIFICATIONS, "hotline.notifications.tasks.send_message", message_id)
    return message_id


@functools.cache
def _insert_statement(dialect: str, resident: bool) -> Any:
    """Build the outbox INSERT once: the same statement object each time is the cheapest."""
    state: Any = literal("pending")
    if resident:
        # Opted-out numbers in the INSERT itself, not a look-up first: one round trip.
        opted_out = exists().where(OptOut.phone == bindparam("to"))
        state = case((opted_out, literal("skipped")), else_=literal("pending"))
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__
    return (
        insert(table)
        .values(
            kind=bindparam("kind"),
            to=bindparam("to"),
            body=bindparam("body"),
            dedup_key=bindparam("dedup_key"),
            ticket_id=bindparam("ticket_id"),
            state=state,
            attempts=0,
            next_attempt_at=bindparam("now"),
            created_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=[table.c.dedup_key])
        .returning(table.c.id, table.c.state)
    )
