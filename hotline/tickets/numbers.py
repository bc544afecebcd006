"""Hand out ticket numbers: readable over the phone and ordered by day, e.g. 20261126-000123.

PostgreSQL: one sequence per local day. ``nextval`` takes no row lock, so concurrent intakes
never queue behind each other (a counter row updated in the ticket's transaction stayed locked
until its commit, and every intake waited on it). The day's sequence is created on first use,
under an advisory lock in its own short transaction, starting after the day's highest number
already stored. A rolled-back intake leaves a gap; no number is ever handed out twice.
SQLite (one writer at a time anyway): a counter row per day, in the caller's transaction.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite

from hotline.core.extensions import db
from hotline.core.timeutil import to_local
from hotline.tickets.models import Ticket, TicketCounter

_lock = threading.Lock()


# The last day asked for: (time zone, its first and next day's first instant in UTC, YYYYMMDD).
# Every intake asks; the answer changes once a day.
_day: tuple[str, datetime, datetime, str] | None = None


def local_day(now_utc: datetime, tz: str) -> str:
    """Return the local day of ``now_utc`` as YYYYMMDD."""
    global _day
    known = _day
    if known is not None and known[0] == tz and known[1] <= now_utc < known[2]:
        return known[3]
    local = to_local(now_utc, tz)
    assert local is not None
    zone = ZoneInfo(tz)
    first = datetime.combine(local.date(), time(0), tzinfo=zone)
    following = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    day = local.strftime("%Y%m%d")
    _day = (tz, _naive_utc(first), _naive_utc(following), day)
    return day


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def sequence_name(day: str) -> str:
    """Return the name of the sequence numbering the tickets of ``day``."""
    if not (len(day) == 8 and day.isdigit()):
        raise ValueError(f"not a YYYYMMDD day: {day!r}")
    return f"ticket_numbers_{day}"


def ensure_sequence(day: str) -> str:
    """Create the day's sequence unless it exists; return its name."""
    name = sequence_name(day)
    known: set[str] = current_app.extensions.setdefault("hotline_number_days", set())
    if day in known:
        return name
    with _lock, db.engine.connect() as conn, conn.begin():
        # One creator per day across every process: the others wait here, then see it.
        conn.execute(text("SELECT pg_advisory_xact_lock(1312, :day)"), {"day": int(day)})
        if conn.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is None:
            high = conn.scalar(
                select(func.max(Ticket.number)).where(
                    Ticket.number >= f"{day}-", Ticket.number < f"{day}."
                )
            )
            counter = conn.scalar(select(TicketCounter.last).where(TicketCounter.day == day))
            start = max(int(high[9:]) if high else 0, counter or 0) + 1
            conn.execute(text(f"CREATE SEQUENCE {name} START WITH {start} MINVALUE 1"))
    known.add(day)
    return name


def counter_number(now_utc: datetime, tz: str) -> str:
    """Take the next number of the day from its counter row, in the caller's transaction (SQLite)."""
    day = local_day(now_utc, tz)
    stmt = (
        sqlite.insert(TicketCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(
            index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1}
        )
        .returning(TicketCounter.last)
    )
    last = db.session.execute(stmt).scalar_one()
    return f"{day}-{last:06d}"


def day_sequence(now_utc: datetime, tz: str) -> tuple[str, str]:
    """Return (the day's sequence, YYYYMMDD) numbering tickets made at ``now_utc`` (PostgreSQL)."""
    day = local_day(now_utc, tz)
    return ensure_sequence(day), day
