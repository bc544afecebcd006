"""Monthly sums of the daily aggregates, kept by deltas, and windows cut into months and days.

A window of a year read day by day touches 365 days of rows, five times as many at 5 M
tickets as at 1 M; read as whole months plus a few single days it touches about twelve
months of rows, which stop growing once every department (or place) has tickets each month.
A month is read whole when the window covers most of it, with the days it leaves out taken
away; otherwise its days in the window are added one by one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, literal, select, union_all

from hotline.core.extensions import db
from hotline.stats.models import (
    ASSESSED,
    COUNTS,
    StatsDaily,
    StatsDeptMonthly,
    StatsMonthly,
    StatsPlace,
    StatsPlaceMonthly,
    StatsSpotMonthly,
    StatsStreetMonthly,
)

ASSESSED_TOO = (*COUNTS, *ASSESSED)
# (daily table, monthly table, key columns, count columns)
ROLLS: tuple[tuple[Any, Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (StatsDaily, StatsMonthly, ("district_code", "department_code", "scope_code"), COUNTS),
    (StatsDaily, StatsDeptMonthly, ("department_code", "scope_code"), ASSESSED_TOO),
    (StatsDaily, StatsStreetMonthly, ("scope_district", "street_code"), ASSESSED_TOO),
    (StatsPlace, StatsPlaceMonthly, ("place", "scope_district", "function"), ("tickets",)),
    (StatsPlace, StatsSpotMonthly, ("place", "scope_district"), ("tickets",)),
)


def column(table: Any, name: str) -> Any:
    """Return ``table``'s column ``name``; stats_daily's scope district is its scope's prefix."""
    if name == "scope_district" and table is StatsDaily:
        return func.substr(StatsDaily.scope_code, 1, 6)
    return getattr(table, name)


def _insert(table: Any) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def add_days(days: list[str], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the daily rows of ``days`` to their months' sums."""
    for source, target, keys, counts in ROLLS:
        month = func.substr(source.day, 1, 7)
        columns = [column(source, k) for k in keys]
        sums = [(func.sum(getattr(source, c)) * sign).label(c) for c in counts]
        rows = select(month, *columns, *sums).where(source.day.in_(days)).group_by(month, *columns)
        table = target.__table__
        stmt = _insert(table).from_select(["month", *keys, *counts], rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=["month", *keys],
            set_={c: table.c[c] + stmt.excluded[c] for c in counts},
        )
        db.session.execute(stmt)


def drop_empty(months: set[str]) -> None:
    """Delete the month rows of ``months`` left with nothing to count (as a recount would)."""
    for _source, target, _keys, counts in ROLLS:
        empty = and_(*(getattr(target, c) == 0 for c in counts))
        db.session.execute(delete(target).where(target.month.in_(sorted(months)), empty))


def insert_all() -> None:
    """Fill the (empty) monthly tables from the daily ones."""
    for source, target, keys, counts in ROLLS:
        stmt = month_sums(target, source, keys, counts)
        db.session.execute(target.__table__.insert().from_select(["month", *keys, *counts], stmt))


def month_sums(target: Any, source: Any, keys: tuple[str, ...], counts: tuple[str, ...]) -> Any:
    """Return the SELECT recounting ``target`` (a monthly table) from its daily ``source``."""
    month = func.substr(source.day, 1, 7)
    columns = [column(source, k) for k in keys]
    sums = [func.sum(getattr(source, c)) for c in counts]
    return select(month, *columns, *sums).group_by(month, *columns)


def spans(first: date, last: date, today: date) -> tuple[list[str], list[str], list[str]]:
    """Cut first..last into (whole months, days to add, days to take away)."""
    months: list[str] = []
    plus: list[str] = []
    minus: list[str] = []
    start = first.replace(day=1)
    while start <= last:
        following = (start + timedelta(days=32)).replace(day=1)
        days = [start + timedelta(days=i) for i in range((following - start).days)]
        inside = [d.isoformat() for d in days if first <= d <= last]
        # Days after today have no tickets: leaving them out of a month costs nothing.
        outside = [d.isoformat() for d in days if not first <= d <= last and d <= today]
        if len(outside) < len(inside):
            months.append(start.strftime("%Y-%m"))
            minus += outside
        else:
            plus += inside
        start = following
    return months, plus, minus


def summed(
    daily: Any,
    monthly: Any,
    group: list[str],
    counts: tuple[str, ...],
    where: Any,
    cut: tuple[list[str], list[str], list[str]],
) -> Any:
    """Return the SELECT of the sums of ``counts`` by ``group`` over the cut window.

    ``where(table)`` gives the conditions on either table (scope, place).
    """
    months, plus, minus = cut
    parts = []
    for table, period, values, sign in (
        (monthly, monthly.month, months, 1),
        (daily, daily.day, plus, 1),
        (daily, daily.day, minus, -1),
    ):
        if not values:
            continue
        keys = [column(table, k).label(k) for k in group]
        # Days taken away count negative; the rest as they are (no product on every row).
        numbers = [
            (getattr(table, c) * sign if sign < 0 else getattr(table, c)).label(c) for c in counts
        ]
        parts.append(select(*keys, *numbers).where(period.in_(values), *where(table)))
    if not parts:
        parts.append(
            select(*(literal("").label(k) for k in group), *(literal(0).label(c) for c in counts))
            .where(literal(1) == 0)
        )  # fmt: skip
    sub = union_all(*parts).subquery("cut") if len(parts) > 1 else parts[0].subquery("cut")
    keys = [sub.c[k] for k in group]
    sums = [func.coalesce(func.sum(sub.c[c]), 0).label(c) for c in counts]
    return select(*keys, *sums).group_by(*keys) if keys else select(*sums)
