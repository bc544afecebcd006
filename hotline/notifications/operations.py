"""Queue outbound messages in the outbox, in the caller's transaction."""

from __future__ import annotations

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
    state = "pending"
    if kind.startswith("resident") and db.session.get(OptOut, to) is not None:
        state = "skipped"
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    now = utcnow()
    stmt = (
        insert(OutboxMessage)
        .values(
            kind=kind,
            to=to,
            body=body[:1600],
            dedup_key=dedup_key,
            ticket_id=ticket_id,
            state=state,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedup_key])
        .returning(OutboxMessage.id)
    )
    message_id = db.session.execute(stmt).scalar()
    if message_id is not None and state == "pending":
        enqueue_after_commit(NOTIFICATIONS, "hotline.notifications.tasks.send_message", message_id)
    return message_id
