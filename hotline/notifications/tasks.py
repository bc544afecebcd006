"""RQ jobs of the notifications queue: send one outbox message, re-queue the forgotten ones."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from hotline.core.extensions import db
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
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.next_attempt_at <= now,
            or_(
                OutboxMessage.state.in_(("pending", "failed")),
                (OutboxMessage.state == "sending")
                & (OutboxMessage.next_attempt_at <= now - STUCK_AFTER),
            ),
        )
        .values(state="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=now)
    )
    claimed = result.rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
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
