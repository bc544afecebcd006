"""Read reports, search and exports from a PostgreSQL streaming replica when one is configured.

One engine per app for the replica (``HOTLINE_DATABASE_REPLICA_URL``), created in ``init_app``
(nothing connects before the first read). ``db.session`` is a ``RoutingSession``: while a read
is marked for the replica, its SELECTs go there; every write (INSERT/UPDATE/DELETE, a flush,
SELECT … FOR UPDATE) and every other statement still goes to the primary, so a marked read can
never write to a standby. The replica is used only while it is reachable and its lag is within
``HOTLINE_REPLICA_MAX_LAG``; a connection error opens a short circuit breaker
(``HOTLINE_REPLICA_RETRY`` seconds) so that requests do not each wait on a dead host.
Which views read from it, and the read-your-writes rule, are in ``hotline.replica_reads``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("hotline.replica")
KEY = "hotline_replica"
# Where the session's reads go: the replica engine, or absent for the primary.
READ_FROM = "hotline_read_from"
# A measured lag is reused this long (seconds), so a busy page does not ask on every request.
CHECK_EVERY = 1.0
LAG_SQL = text(
    "WITH r AS (SELECT status FROM pg_stat_wal_receiver)"
    " SELECT pg_is_in_recovery() AS standby,"
    " pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS caught_up,"
    " EXISTS (SELECT 1 FROM r) AS receiving, (SELECT status FROM r) AS status,"
    " extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) AS since"
)


class RoutingSession(Session):
    """The app's session: SELECTs of a marked read go to the replica, all else to the primary."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kw: Any) -> Any:
        """Return the replica for a plain SELECT of a marked read, else Flask-SQLAlchemy's bind."""
        replica = self.info.get(READ_FROM)
        if replica is not None and bind is None and not self._flushing and _is_read(clause):
            return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kw)


def _is_read(clause: Any) -> bool:
    # Text statements (advisory locks, …) and locking reads belong to the primary.
    return bool(getattr(clause, "is_select", False)) and (
        getattr(clause, "_for_update_arg", None) is None
    )


def replica_lag(standby: bool, caught_up: bool, receiving: bool, status: Any, since: Any) -> Any:
    """Return the lag in seconds from the replica's own figures, None when it is unknown.

    ``pg_last_xact_replay_timestamp()`` is the time of the last transaction replayed: on a quiet
    primary it grows though nothing is missing, so a standby that has replayed all it received
    while it streams counts as fresh. (Without pg_read_all_stats the status reads NULL: then
    "replayed all it received" alone decides.) A standby no longer streaming is as old as its
    last replayed transaction; not a standby (promoted, or the primary itself): fresh.
    """
    if not standby:
        return 0.0
    if caught_up and receiving and status in ("streaming", None):
        return 0.0
    if since is None:
        return None
    return max(float(since), 0.0)


@dataclass
class Replica:
    """The replica engine of one app, its last measured lag and its circuit breaker."""

    engine: Engine
    max_lag: float
    retry: float
    _lag: float | None = None
    _checked: float = float("-inf")
    _down_until: float = float("-inf")
    _down: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def lag(self) -> float | None:
        """Return the lag in seconds (measured at most every CHECK_EVERY), None: unusable now."""
        now = time.monotonic()
        if now < self._down_until:
            return None
        if now - self._checked < CHECK_EVERY:
            return self._lag
        with self._lock:
            if time.monotonic() - self._checked < CHECK_EVERY:
                return self._lag
            try:
                with self.engine.connect() as conn:
                    row = conn.execute(LAG_SQL).one()
            except SQLAlchemyError as error:
                self.trip(error)
                return None
            self._lag = replica_lag(*row)
            self._checked = time.monotonic()
        if self._down:
            self._down = False
            log.warning("the read replica answers again: reports and search read from it")
        return self._lag

    @property
    def down(self) -> bool:
        """Tell whether the circuit breaker is open (the last attempt failed)."""
        return self._down

    def usable(self) -> tuple[bool, float | None]:
        """Tell whether reads may go to the replica now, with its lag (None: unknown)."""
        lag = self.lag()
        return lag is not None and lag <= self.max_lag, lag

    def trip(self, error: BaseException) -> None:
        """Leave the replica alone for ``retry`` seconds; log the first failure only."""
        self._down_until = time.monotonic() + self.retry
        self._checked = float("-inf")
        if not self._down:
            self._down = True
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            log.warning(
                "the read replica is unreachable (%s): reading from the primary,"
                " trying again every %ss",
                first,
                int(self.retry),
            )

    def alive(self) -> bool:
        """Tell whether the replica accepts a connection right now (after a failed read)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError as error:
            self.trip(error)
            return False


def init_app(app: Flask) -> None:
    """Create the replica engine when HOTLINE_DATABASE_REPLICA_URL is set (it connects lazily)."""
    settings = app.config["HOTLINE"]
    if not settings.replica_url:
        return
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"], pool_pre_ping=True)
    engine = create_engine(
        settings.replica_url,
        connect_args={
            "connect_timeout": settings.replica_connect_timeout,
            "application_name": "hotline-replica-reads",
        },
        **options,
    )
    app.extensions[KEY] = Replica(engine, settings.replica_max_lag, settings.replica_retry)
    # Forked RQ work horses get their own connections, as for the primary.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))


def replica() -> Replica | None:
    """Return this app's replica, None when none is configured (or outside an app)."""
    if not has_app_context():
        return None
    return current_app.extensions.get(KEY)


def route_to(target: Replica | None) -> None:
    """Send the session's SELECTs to ``target`` from now on (None: back to the primary)."""
    from hotline.core.extensions import db

    if target is None:
        db.session().info.pop(READ_FROM, None)
    else:
        db.session().info[READ_FROM] = target.engine


@contextmanager
def on_primary() -> Iterator[None]:
    """Read from the primary inside the block, whatever the request reads from (the rollups)."""
    from hotline.core.extensions import db

    info = db.session().info
    saved = info.pop(READ_FROM, None)
    try:
        yield
    finally:
        if saved is not None:
            info[READ_FROM] = saved


@dataclass(frozen=True)
class Reading:
    """Where one request's reports, search or export were read from, and how fresh they are."""

    source: str  # "replica" or "primary"
    reason: str  # "replica", "own_write", "lagging", "unavailable"
    lag: float | None
    at: datetime

    @property
    def as_of(self) -> datetime:
        """Return the moment the data read is complete up to (UTC, naive like the rest)."""
        return self.at - timedelta(seconds=self.lag or 0.0)

    def as_json(self) -> dict[str, Any]:
        """Return the freshness object added to a JSON answer."""
        return {
            "read_from": self.source,
            "replica_lag_seconds": None if self.lag is None else round(self.lag, 3),
            "as_of": self.as_of.isoformat(timespec="seconds") + "Z",
        }


def decide(sticky: bool = False) -> tuple[Reading, Replica | None]:
    """Return where a read should go now, and the replica to route to (None: the primary).

    ``sticky``: the user wrote within the last seconds and must see it (read the primary).
    """
    from hotline.core.timeutil import utcnow

    target = replica()
    now = utcnow()
    if target is None or sticky:
        return Reading("primary", "own_write" if sticky else "primary", None, now), None
    ok, lag = target.usable()
    if not ok:
        reason = "unavailable" if target.down else "lagging"
        return Reading("primary", reason, None, now), None
    return Reading("replica", "replica", lag, now), target


@contextmanager
def reading(sticky: bool = False) -> Iterator[Reading]:
    """Read from the replica inside the block when it is usable, else from the primary."""
    where, target = decide(sticky)
    if target is None:
        yield where
        return
    route_to(target)
    try:
        yield where
    finally:
        route_to(None)
