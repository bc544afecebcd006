"""Keep the daily aggregates (stats_daily) in step with the tickets, and check them.

An idempotent job with a watermark: each run recounts, from the raw tables, every local day
that has a ticket changed since the last run (or whose sign-for limit passed since then, which
changes the response rate without changing the ticket). Recounting a whole day makes a run
safe to repeat and to interrupt. ``verify`` recounts everything as of the watermark and
compares, row by row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, literal_column, select, text, union

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import Department
from hotline.stats import assessed, months
from hotline.stats.models import (
    ASSESSED,
    COUNTS,
    StatsArea,
    StatsDaily,
    StatsDeduction,
    StatsDeptMonthly,
    StatsMonthly,
    StatsPlace,
    StatsPlaceMonthly,
    StatsSpotMonthly,
    StatsStreetMonthly,
    StatsWatermark,
)
from hotline.stats.window import Window, local_day
from hotline.tickets.models import Ticket

NAME = "daily"
# Changes committed late (a transaction begun before the last run) are caught by looking back:
# on PostgreSQL to the start of the oldest transaction still open at the last run (less a few
# seconds of clock skew between the app's clock, which stamps updated_at, and the database's),
# elsewhere by a fixed margin. Every changed day is recounted about once, not at every run.
SLACK = timedelta(minutes=5)
SKEW = timedelta(seconds=10)
# A page refreshes the aggregates itself only when that is quick: recounting days of so many
# tickets at most (a small hotline), or a first count of so many. Beyond, the periodic job
# (hotline.stats.tasks, every minute) does it and the page shows how old its figures are.
READ_REFRESH_TICKETS = 2000
READ_REBUILD_TICKETS = 20000
TABLES = (StatsDaily, StatsArea, StatsPlace, StatsMonthly, StatsDeptMonthly, StatsStreetMonthly,
          StatsPlaceMonthly, StatsSpotMonthly, StatsDeduction)  # fmt: skip


def _tz() -> str:
    return current_app.config["HOTLINE"].timezone


def day_key(w: Window | None = None) -> Any:
    """Return SQL of a ticket's local creation day (YYYY-MM-DD)."""
    today = date.today()
    return local_day(Ticket.created_at, w or Window(today, today, _tz()))


def _keys() -> list[Any]:
    from hotline.stats.operations import PLACE

    return [
        func.coalesce(Ticket.department_code, "").label("department_code"),
        Ticket.scope_code.label("scope_code"),
        func.substr(PLACE, 1, 6).label("district_code"),
        func.substr(PLACE, 1, 9).label("street_code"),
    ]


def counted(days: list[str], now: datetime) -> Any:
    """Return the SELECT counting the tickets of ``days`` at ``now``, at the rollup's grain."""
    from hotline.stats.operations import _measures

    first, last = min(days), max(days)
    w = Window(date.fromisoformat(first), date.fromisoformat(last), _tz())
    key = day_key(w)
    keys = _keys()
    return (
        select(key.label("day"), *keys, *_measures(now), *assessed.measures())
        .where(Ticket.created_at >= w.start, Ticket.created_at < w.end)
        # The figures' own exclusions (hotline.stats.operations._where): merged, emergencies.
        .where(Ticket.status != "merged", Ticket.emergency.is_(False))
        .where(key.in_(days))
        .group_by(key, *keys)
    )


def placed(days: list[str]) -> Any:
    """Return the SELECT counting the tickets of ``days`` per place, scope district and function.

    The hotspots' cells: tickets placed at a community or, no deeper, at a street.
    """
    first, last = min(days), max(days)
    w = Window(date.fromisoformat(first), date.fromisoformat(last), _tz())
    key = day_key(w)
    keys = (Ticket.org_unit_code, func.substr(Ticket.scope_code, 1, 6), Department.function)
    return (
        select(key.label("day"), *keys, func.count(Ticket.id))
        .join(Department, Department.code == Ticket.department_code)
        .where(Ticket.created_at >= w.start, Ticket.created_at < w.end)
        .where(Ticket.status != "merged", Ticket.emergency.is_(False))
        .where(func.length(Ticket.org_unit_code).in_((9, 12)), key.in_(days))
        .group_by(key, *keys)
    )


def recount(days: list[str], now: datetime, deltas: bool = True) -> None:
    """Replace the rows of ``days`` by a fresh count (a few days per statement), and move the
    months' sums by the difference (``deltas``; a rebuild sums the months once at the end).
    """
    for i in range(0, len(days), 7):
        chunk = sorted(days)[i : i + 7]
        if deltas:
            months.add_days(chunk, -1)
        for table in (StatsDaily, StatsArea, StatsPlace):
            db.session.execute(delete(table).where(table.day.in_(chunk)))
        stmt = counted(chunk, now)
        columns = ["day", "department_code", "scope_code", "district_code", "street_code"]
        columns += [*COUNTS, *ASSESSED]
        db.session.execute(StatsDaily.__table__.insert().from_select(columns, stmt))
        db.session.execute(
            StatsArea.__table__.insert().from_select(
                ["day", "scope_district", "district_code", *COUNTS], area_sums(chunk)
            )
        )
        db.session.execute(
            StatsPlace.__table__.insert().from_select(
                ["day", "place", "scope_district", "function", "tickets"], placed(chunk)
            )
        )
        if deltas:
            months.add_days(chunk, 1)
    if deltas:
        months.drop_empty({d[:7] for d in days})
    else:
        months.insert_all()


def area_sums(days: list[str]) -> Any:
    """Return the SELECT summing the fine rows of ``days`` per day and districts."""
    scope = func.substr(StatsDaily.scope_code, 1, 6)
    keys = (StatsDaily.day, scope, StatsDaily.district_code)
    sums = [func.sum(getattr(StatsDaily, c)) for c in COUNTS]
    return select(*keys, *sums).where(StatsDaily.day.in_(days)).group_by(*keys)


def _locked() -> bool:
    """Take the job's lock for this transaction (PostgreSQL); False when another run has it."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(1313, 1)")))


def _settled(now: datetime) -> datetime:
    """Return the moment before which every ticket change this run could miss was stamped."""
    if db.session.get_bind().dialect.name != "postgresql":
        return now - SLACK
    oldest = db.session.scalar(
        text(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            " AND datname = current_database() AND xact_start IS NOT NULL"
        )
    )
    if oldest is None:
        return now - SKEW
    oldest = oldest.astimezone(UTC).replace(tzinfo=None)
    return min(now, oldest) - SKEW


def _tickets_over(days: list[str], limit: int) -> bool:
    """Tell whether the tickets created on ``days`` are more than ``limit`` (counting no further)."""
    total = 0
    for day in days:
        d = date.fromisoformat(day)
        w = Window(d, d, _tz())
        within = Ticket.created_at >= w.start, Ticket.created_at < w.end
        some = select(Ticket.id).where(*within).limit(limit + 1 - total).subquery()
        total += db.session.scalar(select(func.count()).select_from(some)) or 0
        if total > limit:
            return True
    return False


def refresh(now: datetime | None = None, limit: int | None = None) -> int:
    """Recount the days changed since the watermark; return how many days were recounted.

    With ``limit``, give up (return -1, nothing done) when the changed days hold more tickets
    than that: a reader then shows the figures as of the last run and leaves them to the job.
    """
    now = now or utcnow()
    if not _locked():
        db.session.rollback()
        return 0
    mark = db.session.get(StatsWatermark, NAME)
    key = day_key()
    if mark is None:
        days = list(db.session.scalars(select(key).distinct()))
    else:
        changed = select(key).where(Ticket.updated_at > mark.changed_until)
        passed = select(key).where(
            Ticket.status == literal_column("'dispatched'"),
            Ticket.sign_due > mark.as_of,
            Ticket.sign_due <= now,
        )
        days = list(db.session.scalars(union(changed, passed)))
    if limit is not None and _tickets_over([d for d in days if d], limit):
        db.session.rollback()
        return -1
    first = mark is None
    if mark is None:
        for table in TABLES:  # a first count starts from nothing
            db.session.execute(delete(table))
        mark = StatsWatermark(name=NAME, changed_until=now, as_of=now)
        db.session.add(mark)
    # A first count fills empty tables: months summed once, not moved day by day.
    recount([d for d in days if d], now, deltas=not first)
    assessed.recount(None if first else assessed.changed_days(mark.changed_until))
    mark.changed_until, mark.as_of = _settled(now), now
    db.session.commit()
    return len(days)


def rebuild(now: datetime | None = None) -> int:
    """Forget the aggregates and count every day again."""
    db.session.execute(delete(StatsWatermark))
    days = refresh(now)
    if db.session.get_bind().dialect.name == "postgresql":
        # Fresh tables: let the planner know their sizes before the first page reads them.
        for table in TABLES:
            db.session.execute(text(f"ANALYZE {table.__tablename__}"))
        db.session.commit()
    return days


def ensure_fresh(max_age: int) -> datetime | None:
    """Refresh first if tickets changed and the aggregates are older than ``max_age`` seconds,
    but only when that is quick (a few days to recount, or a small database): the periodic job
    does the rest, and the page says how old its figures are.

    Return the moment the figures are as of (None: no aggregates yet, nothing to show).
    """
    mark = db.session.get(StatsWatermark, NAME)
    now = utcnow()
    if mark is not None and now - mark.as_of < timedelta(seconds=max_age):
        return mark.as_of
    if mark is None:
        few = select(Ticket.id).limit(READ_REBUILD_TICKETS + 1).subquery()
        if (db.session.scalar(select(func.count()).select_from(few)) or 0) > READ_REBUILD_TICKETS:
            return None
        refresh(now)
        return now
    newest = db.session.scalar(select(func.max(Ticket.updated_at)))
    due = db.session.scalar(
        select(func.min(Ticket.sign_due)).where(
            Ticket.status == literal_column("'dispatched'"), Ticket.sign_due > mark.as_of
        )
    )
    stale = (newest is not None and newest > mark.changed_until) or (due is not None and due <= now)
    if stale and refresh(now, limit=READ_REFRESH_TICKETS) > 0:
        return now
    db.session.expire_all()
    mark = db.session.get(StatsWatermark, NAME)
    return mark.as_of if mark else None


def verify() -> list[str]:
    """Recount everything as of the watermark; return the rows that differ (empty: all agree)."""
    from hotline.stats.verify import differences

    return differences()
