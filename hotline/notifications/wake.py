"""Wake the outbox drain after a commit: one Redis SET NX per burst of messages, not a job each.

A request that queued a message sets ``DRAIN_KEY`` (NX, with a TTL) after its commit, and only
the request that set it enqueues a ``drain_outbox`` job. The drain deletes the key before it
reads the outbox, so a message committed after that read finds the key gone and wakes another
drain: none is left behind. If Redis is down, the enqueue is lost or the worker dies, the key
expires after ``DRAIN_TTL`` and the periodic ``flush_outbox`` sends what is due meanwhile: the
row in the outbox, written in its cause's transaction, is what guarantees the message.

A web process asks Redis at most once per ``outbox_wake_ms``: within that time a request only
makes sure a timer will ask once more when it ends, so a burst of intakes costs a few Redis
calls a second instead of one each, and its last message waits at most that long. Workers and
commands, whose processes may end right after the job, ask every time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from flask import current_app, has_request_context
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
    every = current_app.config["HOTLINE"].outbox_wake_ms / 1000
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if every and has_request_context() and _DEBOUNCE.later(app, every):
        return False
    return _wake_now()


def _wake_now() -> bool:
    try:
        if not redis_store.client.set(DRAIN_KEY, "1", nx=True, ex=DRAIN_TTL):
            return False  # a drain is queued and has not started reading yet
        get_queue(NOTIFICATIONS).enqueue(DRAIN_JOB)
        return True
    except (RedisError, OSError) as exc:
        log.warning("could not wake the outbox drain (%s); the periodic flush will send", exc)
        return False


class _Debounce:
    """At most one Redis call per period in this process; a timer makes the period's last."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.last = -1e9
        self.timer: threading.Timer | None = None

    def later(self, app: Any, every: float) -> bool:
        """Return True if a timer will wake the drain after now (the caller need not)."""
        if os.getpid() != self.pid:  # a forked child has none of its parent's timers
            self.__init__()  # type: ignore[misc]
        now = time.monotonic()
        with self.lock:
            if now - self.last >= every:
                self.last = now
                return False
            if self.timer is None:
                # Started after this message's commit, so its call comes after it too.
                self.timer = threading.Timer(self.last + every - now, self._fire, (app,))
                self.timer.daemon = True
                self.timer.start()
            return True

    def _fire(self, app: Any) -> None:
        with self.lock:  # a request that still sees the timer set is served by this call
            self.timer, self.last = None, time.monotonic()
        with app.app_context():
            _wake_now()


_DEBOUNCE = _Debounce()


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
