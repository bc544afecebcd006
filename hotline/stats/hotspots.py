"""Hotspots (热点): the busiest places by department function, from the place aggregates.

A place is a community, or a street (township) for tickets placed no deeper. The ranking sums
a few thousand place totals a month (stats_spot_monthly) plus the window's odd days; only the
busiest places are then read function by function.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.permissions import ticket_scope
from hotline.core.timeutil import to_local, utcnow
from hotline.org.models import Department, OrgUnit
from hotline.stats import months
from hotline.stats.models import StatsPlace, StatsPlaceMonthly, StatsSpotMonthly
from hotline.stats.reading import fresh_as_of
from hotline.stats.window import Window
from hotline.tickets.models import Ticket
from hotline.tickets.scope import code_prefix


def _spot_scope(actor: Actor) -> Any:
    """Return ``table → condition`` for the aggregates, or None when they cannot answer."""
    kind, code = ticket_scope(actor)
    if kind == "all":
        return lambda table: []
    if kind == "org_unit" and code and len(code) <= 6:
        return lambda table: [code_prefix(table.scope_district, code)]
    return None


def _rolled_cells(scope: Any, org_unit: str | None, w: Window, limit: int) -> dict:
    fresh_as_of()

    def where(table: Any) -> list[Any]:
        return scope(table) + ([code_prefix(table.place, org_unit)] if org_unit else [])

    today = to_local(utcnow(), w.tz).date()  # type: ignore[union-attr]
    cut = months.spans(w.first, w.last, today)
    ranked = months.summed(StatsPlace, StatsSpotMonthly, ["place"], ("tickets",), where, cut)
    ranked = ranked.subquery("ranked")
    top = list(
        db.session.scalars(
            select(ranked.c.place)
            .where(ranked.c.tickets > 0)
            .order_by(ranked.c.tickets.desc(), ranked.c.place)
            .limit(limit)
        )
    )
    if not top:
        return {}

    def busiest(table: Any) -> list[Any]:
        return [*where(table), table.place.in_(top)]

    group = ["place", "function"]
    stmt = months.summed(StatsPlace, StatsPlaceMonthly, group, ("tickets",), busiest, cut)
    cells: dict[str, dict[str, int]] = {}
    for place, function, n in db.session.execute(stmt):
        if n:
            cells.setdefault(place, {})[function] = int(n)
    return cells


def _raw_cells(actor: Actor, org_unit: str | None, w: Window) -> dict:
    from hotline.stats.operations import _where

    community = Ticket.org_unit_code
    stmt = (
        select(community, Department.function, func.count(Ticket.id))
        .join(Department, Department.code == Ticket.department_code)
        .where(*_where(actor, org_unit, w), func.length(community).in_((9, 12)))
        .group_by(community, Department.function)
    )
    cells: dict[str, dict[str, int]] = {}
    for code, function, n in db.session.execute(stmt):
        cells.setdefault(code or "", {})[function] = n
    return cells


def hotspots(actor: Actor, org_unit: str | None, w: Window, limit: int = 15) -> dict[str, Any]:
    """Count tickets per place × department function; return the busiest places."""
    scope = _spot_scope(actor)
    if scope is not None:
        cells = _rolled_cells(scope, org_unit, w, limit)
    else:
        cells = _raw_cells(actor, org_unit, w)
    top = sorted(cells, key=lambda c: (-sum(cells[c].values()), c))[:limit]
    rows_ = db.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(top)))
    names = {code: name for code, name in rows_}
    by_function: dict[str, int] = {}
    for code in top:
        for function, n in cells[code].items():
            by_function[function] = by_function.get(function, 0) + n
    functions = sorted(by_function, key=lambda f: (-by_function[f], f))
    rows = [
        {"code": c, "name": names.get(c, c), "counts": cells[c], "total": sum(cells[c].values())}
        for c in top
    ]
    peak = max((n for c in top for n in cells[c].values()), default=0)
    return {"functions": functions, "rows": rows, "peak": peak}
