"""Queue outbound messages in the outbox, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotline.extensions import db
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.tasks.queues import NOTIFICATIONS, enqueue_after_commit


def queue_message(
    kind: str, to: str | None, body: str, dedup_key: str, ticket_id: int | None = None
) -> OutboxMessage | None:
    """Add a message to the outbox unless the same cause already queued it.

    Returns the new row, or None when there is no number, the number opted out, or the
    message was queued before (so retried webhooks and double sweeps never send twice).
    """
    if not to:
        return None
    exists = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key))
    if exists is not None:
        return None
    state = "pending"
    if kind.startswith("resident") and db.session.get(OptOut, to) is not None:
        state = "skipped"
    message = OutboxMessage(
        kind=kind, to=to, body=body[:1600], dedup_key=dedup_key, ticket_id=ticket_id, state=state
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None  # a concurrent writer queued it first
    if state == "pending":
        enqueue_after_commit(NOTIFICATIONS, "hotline.notifications.tasks.send_message", message.id)
    return message
