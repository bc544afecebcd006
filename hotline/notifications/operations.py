"""Queue outbound messages in the outbox, in the caller's transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from hotline.core.extensions import db
from hotline.core.phones import mask
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.tasks.queues import NOTIFICATIONS, enqueue_after_commit

log = logging.getLogger(__name__)
# Messages that count against a phone's share: everything but refusals and opt-outs.
_COUNTED = ("pending", "sending", "sent", "delivered", "failed", "dead")


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
    now = utcnow()
    last_error = None
    if kind.startswith("resident") and db.session.get(OptOut, to) is not None:
        state = "skipped"
    elif kind.startswith("resident") and (refusal := _over_limit(to, now)) is not None:
        # Anyone may type any number into the intake form: the ticket stands, the SMS does not.
        state, last_error = "limited", refusal
        log.warning("SMS %s to %s refused: %s", kind, mask(to), refusal)
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    stmt = (
        insert(OutboxMessage)
        .values(
            kind=kind,
            to=to,
            body=body[:1600],
            dedup_key=dedup_key,
            ticket_id=ticket_id,
            state=state,
            last_error=last_error,
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


def _over_limit(to: str, now: datetime) -> str | None:
    """Say why ``to`` may receive no more resident messages now, or None."""
    settings = current_app.config["HOTLINE"]
    for limit, window, name in (
        (settings.sms_per_phone_hour, timedelta(hours=1), "hour"),
        (settings.sms_per_phone_day, timedelta(days=1), "day"),
    ):
        if not limit:
            continue
        sent = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.to == to,
                OutboxMessage.kind.startswith("resident"),
                OutboxMessage.state.in_(_COUNTED),
                OutboxMessage.created_at > now - window,
            )
        )
        if sent >= limit:
            return f"per-phone limit: {limit} messages per {name}"
    return None


def refused_count(to: str | None = None) -> int:
    """Count the messages refused by the per-phone limit (for one number, or all)."""
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "limited")
    if to is not None:
        query = query.where(OutboxMessage.to == to)
    return db.session.scalar(query) or 0
