"""Check every aggregate against a full recount: days from the tickets, months from the days."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.stats import assessed, months
from hotline.stats.models import ASSESSED, COUNTS, StatsArea, StatsDaily, StatsPlace, StatsWatermark
from hotline.stats.rollup import NAME, area_sums, counted, day_key, placed


def _rows(stmt: Any, width: int) -> dict[tuple, tuple]:
    """Return the rows of ``stmt`` as {keys: counts}, the first ``width`` columns being keys."""
    return {tuple(r[:width]): tuple(int(v) for v in r[width:]) for r in db.session.execute(stmt)}


def _compare(name: str, stored: dict, expected: dict, problems: list[str]) -> None:
    for k in sorted(expected.keys() | stored.keys()):
        if expected.get(k) != stored.get(k):
            problems.append(f"{name} {k}: stored {stored.get(k)} != recounted {expected.get(k)}")


def _table(table: Any, keys: tuple[str, ...], counts: tuple[str, ...]) -> dict[tuple, tuple]:
    columns = [getattr(table, c) for c in (*keys, *counts)]
    return _rows(select(*columns), len(keys))


def differences() -> list[str]:
    """Recount everything as of the watermark; return the rows that differ (empty: all agree)."""
    mark = db.session.get(StatsWatermark, NAME)
    if mark is None:
        return ["no aggregates yet: run `hotline stats rebuild`"]
    days = sorted(d for d in db.session.scalars(select(day_key()).distinct()) if d)
    daily: dict[tuple, tuple] = {}
    places: dict[tuple, tuple] = {}
    for i in range(0, len(days), 31):
        chunk = days[i : i + 31]
        daily |= _rows(counted(chunk, mark.as_of), 5)
        places |= _rows(placed(chunk), 4)
    problems: list[str] = []
    keys: tuple[str, ...] = ("day", "department_code", "scope_code", "district_code", "street_code")
    _compare("stats_daily", _table(StatsDaily, keys, (*COUNTS, *ASSESSED)), daily, problems)
    keys = ("day", "place", "scope_district", "function")
    _compare("stats_place", _table(StatsPlace, keys, ("tickets",)), places, problems)
    stored_days = sorted(set(db.session.scalars(select(StatsDaily.day).distinct())))
    keys = ("day", "scope_district", "district_code")
    areas = _table(StatsArea, keys, COUNTS)
    _compare("stats_area", areas, _rows(area_sums(stored_days), 3) if stored_days else {}, problems)
    for source, target, rolled, counts in months.ROLLS:
        expected = _rows(months.month_sums(target, source, rolled, counts), 1 + len(rolled))
        stored = _table(target, ("month", *rolled), counts)
        _compare(target.__tablename__, stored, expected, problems)
    _compare("stats_deductions", assessed.stored(), assessed.counted(None), problems)
    return problems
