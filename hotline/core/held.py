"""Each thread's own pooled connection for statements that are their own transaction.

Checking a connection out of SQLAlchemy's pool and back in (events, the reset's rollback) cost
intake about 0.06 ms of CPU a ticket, as much as the statement itself once prepared. A thread
that runs such statements one after another keeps one connection checked out instead. It stays
a pooled connection: the pool counts it, and takes it back when the thread ends, the app's
engine changes, or it sat idle (then the pool's checkout pings it, as for any other).
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.pq import ExecStatus, TransactionStatus
from sqlalchemy import Engine

from hotline.core.extensions import PING_IDLE_SECONDS


@dataclass
class _Held:
    engine: weakref.ref[Engine]
    pid: int
    fairy: Any
    used: float


_TUPLES_OK = ExecStatus.TUPLES_OK
_local = threading.local()
# Connections a forked process inherited: never used nor returned (the parent owns the socket).
_inherited: list[_Held] = []


@contextmanager
def connection(engine: Engine) -> Iterator[psycopg.Connection[Any]]:
    """Lend this thread's idle connection to ``engine`` (autocommit: each statement commits).

    A psycopg error that leaves the connection closed gives it back to the pool as invalid.
    """
    held = _take(engine)
    driver = held.fairy.driver_connection
    try:
        yield driver
    except psycopg.Error as exc:
        if driver.closed:  # the server went away: the pool must not hand it out again
            held.fairy.invalidate(exc)
            _local.held = None
        raise
    finally:
        held.used = time.monotonic()
        if _local.__dict__.get("held") is held and (
            driver.closed or driver.info.transaction_status != TransactionStatus.IDLE
        ):
            _release(held)


def _take(engine: Engine) -> _Held:
    """Return this thread's held connection to ``engine``, checking one out when needed."""
    held: _Held | None = _local.__dict__.get("held")
    if held is not None:
        if held.pid != os.getpid():
            _inherited.append(held)
        elif held.engine() is not engine or held.fairy.driver_connection.closed:
            _release(held)
        elif time.monotonic() - held.used < PING_IDLE_SECONDS or _alive(held):
            return held
        else:  # the server went away while it sat idle
            held.fairy.invalidate()
        _local.held = None
    fairy = engine.raw_connection()
    held = _Held(weakref.ref(engine), os.getpid(), fairy, time.monotonic())
    _local.held = held
    return held


def _alive(held: _Held) -> bool:
    """Ping a connection that sat idle, as the pool's checkout does (core.extensions)."""
    try:
        return held.fairy.driver_connection.pgconn.exec_(b"SELECT 1").status == _TUPLES_OK
    except psycopg.Error:
        return False


def _release(held: _Held) -> None:
    """Give a held connection back to its pool (which rolls back anything left open)."""
    _local.held = None
    held.fairy.close()
