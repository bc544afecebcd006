"""RQ jobs of the notifications queue: send one outbox message, drain the due ones, re-queue."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import or_, select, update

from hotline.core.extensions import db, redis_store
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OutboxMessage
from hotline.notifications.senders import SendError, send
from hotline.tasks.app import with_app
from hotline.tasks.queues import NOTIFICATIONS, get_queue

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# A row left 'sending' this long means its worker died mid-send: try it again.
STUCK_AFTER = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """Return the wait before retry number ``attempts`` (30 s, 1 min, 2 min … capped at 1 h)."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@with_app
def send_message(message_id: int) -> str:
    """Send one outbox message once; safe to run twice or on two workers at once."""
    now = utcnow()
    # The conditional update is the lock: only one worker moves the row to 'sending'.
    result: Any = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.next_attempt_at <= now, _due(now))
        .values(state="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=now)
    )
    claimed = result.rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
    return _deliver(message_id, now)


def _due(now: Any) -> Any:
    """Return the condition of a row a worker may claim: waiting, failed, or stuck sending."""
    return or_(
        OutboxMessage.state.in_(("pending", "failed")),
        (OutboxMessage.state == "sending") & (OutboxMessage.next_attempt_at <= now - STUCK_AFTER),
    )


def _deliver(message_id: int, now: Any) -> str:
    """Send a message this worker claimed; record the outcome (and schedule a retry)."""
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    try:
        result = send(message, current_app.config["HOTLINE"])
    except SendError as exc:
        message.last_error = str(exc)[:1000]
        if message.attempts >= MAX_ATTEMPTS:
            message.state = "dead"
            log.error("outbox %s gave up after %s attempts: %s", message.id, message.attempts, exc)
        else:
            message.state = "failed"
            message.next_attempt_at = now + backoff(message.attempts)
            db.session.commit()
            _enqueue_retry(message.id, message.next_attempt_at)
            return "failed"
        db.session.commit()
        return message.state
    message.state = "sent"
    message.sent_at = now
    message.provider_sid = result.sid
    message.provider_status = result.status
    message.last_error = None
    db.session.commit()
    return "sent"


@with_app
def drain_outbox(batch: int = 50) -> int:
    """Send every message that is due, claiming a batch at a time; return how many were tried.

    Woken by hotline.notifications.wake: the key goes before the first read, so a message
    committed from now on wakes the next drain. Claims skip rows another drain holds, and a full
    batch wakes one more drain, so a backlog is shared by as many workers as there are.
    """
    from hotline.notifications.wake import DRAIN_KEY, wake

    try:
        redis_store.client.delete(DRAIN_KEY)
    except (RedisError, OSError) as exc:  # the key expires by itself
        log.warning("could not clear the drain key: %s", exc)
    tried = 0
    while True:
        now = utcnow()
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.next_attempt_at <= now, _due(now))
            .order_by(OutboxMessage.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        ids = db.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()))
            .values(state="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=now)
            .returning(OutboxMessage.id)
        ).all()
        db.session.commit()
        if not ids:
            return tried
        if len(ids) == batch:
            wake()
        for message_id in sorted(ids):
            _deliver(message_id, now)
        tried += len(ids)


def _enqueue_retry(message_id: int, at) -> None:  # noqa: ANN001
    try:
        get_queue(NOTIFICATIONS).enqueue_at(at, send_message, message_id)
    except Exception as exc:  # Redis down: flush_outbox re-queues it later.
        log.warning("could not schedule retry of outbox %s: %s", message_id, exc)


@with_app
def flush_outbox(limit: int = 500) -> int:
    """Queue a send job for every message that is due and has no live job; return how many."""
    now = utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            or_(
                OutboxMessage.state.in_(("pending", "failed"))
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.state == "sending")
                & (OutboxMessage.next_attempt_at <= now - STUCK_AFTER),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    queue = get_queue(NOTIFICATIONS)
    for message_id in ids:
        queue.enqueue(send_message, message_id)
    return len(ids)
