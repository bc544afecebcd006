"""RQ queue names, in one place, and the helpers that enqueue onto them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import event
from sqlalchemy.orm import Session

from hotline.core.extensions import db, redis_store

log = logging.getLogger(__name__)

ESCALATION = "escalation"
NOTIFICATIONS = "notifications"
DEFAULT = "default"
QUEUES = (ESCALATION, NOTIFICATIONS, DEFAULT)


def get_queue(name: str) -> Queue:
    """Return the RQ queue ``name`` on the app's Redis."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=redis_store.client)


def enqueue_after_commit(
    queue: str,
    func: Callable[..., Any] | str,
    *args: Any,
    at: datetime | None = None,
    job_id: str | None = None,
) -> None:
    """Enqueue a job once the current transaction commits; never fail the request over Redis.

    The database row is the source of truth: if Redis is down the periodic sweep or
    outbox flush picks the work up later, so a lost enqueue delays work but loses none.
    """
    pending: list[tuple[Any, ...]] = db.session.info.setdefault("hotline_after_commit", [])
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pending.append((app, queue, func, args, at, job_id))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop("hotline_after_commit", [])
    if not pending:
        return
    app = pending[0][0]
    # A sweep commits hundreds of jobs at once: one pipeline for the immediate ones, and one
    # enqueue per distinct scheduled job id (many deadlines share a second's sweep job).
    now_jobs: dict[str, list[Any]] = {}
    later: dict[tuple[str, str | None], tuple[Any, ...]] = {}
    for _app, queue, func, args, at, job_id in pending:
        if at is None:
            now_jobs.setdefault(queue, []).append(Queue.prepare_data(func, args, job_id=job_id))
        else:
            later[(queue, job_id or f"{func}{args}{at}")] = (queue, func, args, at, job_id)
    try:
        with app.app_context():
            for queue, jobs in now_jobs.items():
                get_queue(queue).enqueue_many(jobs)
            for queue, func, args, at, job_id in later.values():
                get_queue(queue).enqueue_at(at, func, *args, job_id=job_id)
    except (RedisError, OSError) as exc:
        log.warning("could not enqueue %s job(s) (%s); the sweep will catch up", len(pending), exc)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop("hotline_after_commit", None)
