"""A change stamp that moves whenever a ticket changes or a call comes in, cheap to read.

Every ticket change writes a timeline event, so the newest event id (a primary-key lookup)
says "something changed"; the newest call id says "someone is calling". The value is cached
in the process for a fraction of a second: hundreds of consoles polling cost a query or two.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.tickets.models import TicketEvent
from hotline.twilio.models import CallSession

CACHE_SECONDS = 0.5
_lock = threading.Lock()
_cache: dict[str, tuple[float, str]] = {}


def read_stamp() -> str:
    """Return the current change stamp from the database."""
    event_id = db.session.scalar(select(func.max(TicketEvent.id))) or 0
    call_id = db.session.scalar(select(func.max(CallSession.id))) or 0
    return f"{event_id}.{call_id}"


def current_stamp(key: str = "") -> str:
    """Return the change stamp, read at most once per CACHE_SECONDS per process and key."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
    value = read_stamp()
    with _lock:
        _cache[key] = (now + CACHE_SECONDS, value)
    return value


def forget() -> None:
    """Drop the cached stamp (tests, and after this process changes something)."""
    with _lock:
        _cache.clear()
