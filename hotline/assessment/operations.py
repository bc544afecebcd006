"""Score every department or area for a month: the weighted rates less the deductions, ranked."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from hotline.assessment import recount, rolled
from hotline.assessment.scheme import DEDUCTIONS, PARTS, Scheme
from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.kept import kept
from hotline.org.models import Department, OrgUnit
from hotline.stats.models import StatsWatermark
from hotline.stats.reading import fresh_as_of
from hotline.stats.rollup import NAME
from hotline.stats.window import Window

LEVELS = ("district", "township", "department")


def month_window(month: str, tz: str) -> Window:
    """Return the local-day window of ``month`` (YYYY-MM)."""
    year, number = (int(part) for part in month.split("-"))
    return Window(
        date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1]), tz
    )


def previous_month(month: str) -> str:
    """Return the month before ``month`` (YYYY-MM)."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def score_row(counts: dict[str, int], deducted: dict[str, int], scheme: Scheme) -> dict[str, Any]:
    """Return one unit's parts, deductions and score from its counts."""
    parts = {
        "response_rate": _ratio(counts.get("signed_in_time", 0), counts.get("dispatched", 0)),
        "resolution_rate": _ratio(counts.get("solved", 0), counts.get("rated", 0)),
        "satisfaction_rate": _ratio(counts.get("satisfied", 0), counts.get("rated", 0)),
        "on_time_rate": _ratio(counts.get("resolved_in_time", 0), counts.get("resolved", 0)),
    }
    weighed: list[tuple[float, float]] = [
        (scheme.weights[p], value)
        for p in PARTS
        if scheme.weights[p] and (value := parts[p]) is not None
    ]
    total_weight = sum(weight for weight, _ in weighed)
    base = (
        sum(weight * value * 100 for weight, value in weighed) / total_weight
        if total_weight
        else None
    )
    deductions = {d: int(deducted.get(d, 0)) for d in DEDUCTIONS}
    points = min(scheme.deduction_cap, sum(scheme.deductions[d] * n for d, n in deductions.items()))
    score = None if base is None else round(max(base - points, 0.0), 2)
    return {
        "tickets": int(counts.get("tickets", 0)),
        "excluded_ratings": int(counts.get("excluded", 0)),
        "parts": parts,
        "base": None if base is None else round(base, 2),
        "deductions": deductions,
        "deduction_points": round(points, 2),
        "score": score,
    }


# Beyond so many codes a city's whole table (a few thousand rows) reads faster than an IN list
# of them (each a bound parameter to render and send).
MANY_CODES = 200


def _units(level: str, codes: set[str]) -> dict[str, dict[str, Any]]:
    if level == "department":
        stmt = select(Department.code, Department.name, Department.level, Department.org_unit_code)
        if len(codes) <= MANY_CODES:
            stmt = stmt.where(Department.code.in_(codes))
        departments = db.session.execute(stmt)
        return {
            c: {"name": n, "group": lvl, "org_unit": u}
            for c, n, lvl, u in departments
            if c in codes
        }
    areas = db.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes)))
    return {c: {"name": n, "group": level, "org_unit": c} for c, n in areas}


def _rank(rows: list[dict[str, Any]], scheme: Scheme) -> None:
    """Rank rows within their group (a level of departments, or the areas), best score first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["ranked"] = row["score"] is not None and row["tickets"] >= scheme.min_tickets
        row["rank"] = None
        if row["ranked"]:
            groups.setdefault(row["group"], []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: (-r["score"], -r["tickets"], r["code"]))
        for position, row in enumerate(members, start=1):
            row["rank"] = position
        for row in members:
            row["ranked_of"] = len(members)


def month_rows(
    level: str, month: str, tz: str, now: datetime, scheme: Scheme
) -> list[dict[str, Any]]:
    """Return every unit of ``level`` with tickets in ``month``, scored and ranked city-wide.

    Counted from the aggregates, as of their watermark like every figure (HOTLINE_STATS_MAX_AGE);
    from the tickets only before their first count, or for another time zone than theirs.
    """
    as_of = fresh_as_of()
    if as_of is None or tz != current_app.config["HOTLINE"].timezone:
        w = month_window(month, tz)
        return _scored(level, recount.counts(level, w, now), recount.deductions(level, w), scheme)
    # Kept per process by the watermark they were counted at: a month of the city's departments
    # is thousands of rows to score, the same until the aggregates move (a minute). The
    # watermark is the copy's the rows are read from (a replica may lag the primary's).
    read = db.session.scalar(select(StatsWatermark.as_of).where(StatsWatermark.name == NAME))
    key = (level, month, id(scheme), read or as_of)

    def score() -> list[dict[str, Any]]:
        return _scored(level, rolled.counts(level, month), rolled.deductions(level, month), scheme)

    rows = kept("assessment_rows", key, score)
    # Copies: callers add to the rows (the month before); their parts are only read.
    return [dict(row) for row in rows]


def _scored(
    level: str, counts: dict[str, dict[str, int]], deducted: dict[str, dict[str, int]],
    scheme: Scheme,
) -> list[dict[str, Any]]:  # fmt: skip
    """Return the rows of the units counted or deducted, scored and ranked."""
    codes = {c for c in counts.keys() | deducted.keys() if c}
    units = _units(level, codes)
    rows = []
    for code in sorted(codes):
        unit = units.get(code, {"name": code, "group": level, "org_unit": None})
        row = {
            "code": code,
            "name": unit["name"],
            "group": unit["group"],
            "org_unit": unit["org_unit"],
        }
        rows.append(row | score_row(counts.get(code, {}), deducted.get(code, {}), scheme))
    _rank(rows, scheme)
    return rows


def _in_scope(actor: Actor, row: dict[str, Any]) -> bool:
    if actor.role in ("admin", "operator"):
        return True
    unit = actor.org_unit_code or ""
    return bool(unit) and (row["org_unit"] or row["code"]).startswith(unit)


def ranked_with_previous(
    level: str, month: str, tz: str, now: datetime, scheme: Scheme
) -> list[dict[str, Any]]:
    """Return the month's rows, each with the score and rank of the month before beside it."""
    previous = {r["code"]: r for r in month_rows(level, previous_month(month), tz, now, scheme)}
    rows = month_rows(level, month, tz, now, scheme)
    for row in rows:
        earlier = previous.get(row["code"])
        row["previous"] = {"score": earlier["score"], "rank": earlier["rank"]} if earlier else None
    return rows


def assessment(
    actor: Actor, level: str, month: str, tz: str, now: datetime, scheme: Scheme
) -> dict[str, Any]:
    """Return the month's rows in the actor's scope, each with the month before beside it."""
    rows = [r for r in ranked_with_previous(level, month, tz, now, scheme) if _in_scope(actor, r)]
    rows.sort(key=lambda r: (r["group"], r["rank"] is None, r["rank"] or 0, r["code"]))
    return {"month": month, "previous_month": previous_month(month), "level": level,
            "scheme": scheme.as_dict(), "items": rows}  # fmt: skip
