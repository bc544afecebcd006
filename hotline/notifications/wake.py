"""Wake the outbox drain after a commit: one Redis SET NX per burst of messages, not a job each.

A request that queued a message sets ``DRAIN_KEY`` (NX, with a TTL) after its commit, and only
the request that set it enqueues a ``drain_outbox`` job. The drain deletes the key before it
reads the outbox, so a message committed after that read finds the key gone and wakes another
drain: none is left behind. If Redis is down, the enqueue is lost or the worker dies, the key
expires after ``DRAIN_TTL`` and the periodic ``flush_outbox`` sends what is due meanwhile: the
row in the outbox, written in its cause's transaction, is what guarantees the message.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from hotline.core.extensions import db, redis_store
from hotline.tasks.queues import NOTIFICATIONS, get_queue

log = logging.getLogger(__name__)
DRAIN_KEY = "hotline:outbox:drain"
# Longer than a drain job waits in a healthy queue; short enough that a lost job costs little.
DRAIN_TTL = 60
DRAIN_JOB = "hotline.notifications.tasks.drain_outbox"


def wake() -> bool:
    """Make sure a drain job is coming; return whether this call enqueued it."""
    try:
        if not redis_store.client.set(DRAIN_KEY, "1", nx=True, ex=DRAIN_TTL):
            return False  # a drain is queued and has not started reading yet
        get_queue(NOTIFICATIONS).enqueue(DRAIN_JOB)
        return True
    except (RedisError, OSError) as exc:
        log.warning("could not wake the outbox drain (%s); the periodic flush will send", exc)
        return False


def wake_after_commit() -> None:
    """Wake the drain once the current transaction commits (nothing if it rolls back)."""
    app: Any = current_app._get_current_object()  # type: ignore[attr-defined]
    db.session.info["hotline_wake_outbox"] = app


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    app = session.info.pop("hotline_wake_outbox", None)
    if app is not None:
        with app.app_context():
            wake()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("hotline_wake_outbox", None)
