"""Read the aggregates: sums over a window in an actor's scope, brought up to date first.

A window is read as whole months (the monthly tables) plus its odd days (the daily ones);
totals, days and districts of a city or district scope read the small area table.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import false, func, select, true

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.kept import kept
from hotline.core.permissions import ticket_scope
from hotline.core.replica import READ_FROM, on_primary
from hotline.core.timeutil import to_local, utcnow
from hotline.stats import months
from hotline.stats.models import (
    COUNTS,
    StatsArea,
    StatsDaily,
    StatsDeptMonthly,
    StatsMonthly,
    StatsStreetMonthly,
)
from hotline.stats.window import Window
from hotline.tickets.scope import code_prefix


def rollup_scope(actor: Actor, table: Any = StatsDaily) -> Any:
    """Return the condition on an aggregate table's rows that ``actor`` may count."""
    kind, code = ticket_scope(actor)
    if kind == "all":
        return true()
    if kind == "department":
        return table.department_code == code
    if kind == "org_unit":
        return code_prefix(table.scope_code, code or "")
    return false()


def area_scope(actor: Actor, table: Any = StatsArea) -> Any:
    """Return the condition on the rows of a table keyed by the scope's district (area,
    streets) for ``actor``; None when they are too coarse for its scope.
    """
    kind, code = ticket_scope(actor)
    if kind == "all":
        return true()
    if kind == "org_unit" and code and len(code) <= 6:
        return code_prefix(table.scope_district, code)
    return None


def summed(actor: Actor, org_unit: str | None, w: Window, key: Any = None) -> dict[Any, dict]:
    """Sum the aggregates in scope, in ``org_unit``, over the window (by ``key``).

    The sums are kept (per process) under the aggregates' moment, which every refresh moves:
    the same question asked again before the next refresh reads no table (a city's year of
    departments is some 80,000 month rows to add up).
    """
    as_of = fresh_as_of()
    today = to_local(utcnow(), w.tz).date()  # type: ignore[union-attr]
    if as_of is None or READ_FROM in db.session().info:
        # Read from a replica: its sums may lag the primary's moment; not kept.
        return _summed(actor, org_unit, w, key, today)
    ident = (
        as_of,
        ticket_scope(actor),
        org_unit,
        w.first,
        w.last,
        today,
        getattr(key, "key", None),
    )
    # Kept under the moment: old moments and rare questions are pushed out.
    sums = kept("stats_sums", ident, lambda: _summed(actor, org_unit, w, key, today))
    # Copies: callers add to the rows (a department's assisting parts).
    return {k: dict(counts) for k, counts in sums.items()}


def _summed(
    actor: Actor, org_unit: str | None, w: Window, key: Any, today: date
) -> dict[Any, dict]:
    area = area_scope(actor)
    if area is not None and (key is None or key.key in ("day", "district_code")):
        # Totals, days and districts of a city or district scope: the small area table.
        return summed_days(StatsArea, area, org_unit, w, key)
    if key is not None and key.key == "day":
        return summed_days(StatsDaily, rollup_scope(actor), org_unit, w, key)
    district = org_unit if org_unit and len(org_unit) > 4 else None
    if key is not None and key.key == "street_code" and area is not None:
        # A district's streets: the street table, a few hundred rows a month.
        monthly: Any = StatsStreetMonthly
    else:
        # By place, or within a district: the table that keeps the place's district.
        by_place = district or (key is not None and key.key == "district_code")
        monthly = StatsMonthly if by_place else StatsDeptMonthly

    def where(table: Any) -> list[Any]:
        if table is StatsStreetMonthly:
            scope = area_scope(actor, StatsStreetMonthly)
            return [scope, code_prefix(table.street_code, district or "")]
        conditions = [rollup_scope(actor, table)]
        if district:
            conditions.append(table.district_code == district)
        return conditions

    cut = months.spans(w.first, w.last, today)
    group = [] if key is None else [key.key]
    stmt = months.summed(StatsDaily, monthly, group, COUNTS, where, cut)
    if key is None:
        return {None: db.session.execute(stmt).one()._asdict()}
    # A month less its left-out days can leave a key with nothing: a recount would not list it.
    # Plain tuples (key, then COUNTS): a city's departments are thousands of rows.
    rows = db.session.execute(stmt)
    return {k: dict(zip(COUNTS, counts, strict=True)) for k, *counts in rows if any(counts)}


def summed_days(table: Any, scope: Any, org_unit: str | None, w: Window, key: Any) -> dict:
    """Sum ``table`` (days) in scope over the window, by ``key``'s column of the same name."""
    sums = [func.coalesce(func.sum(getattr(table, c)), 0).label(c) for c in COUNTS]
    where = [scope, table.day >= w.first.isoformat(), table.day <= w.last.isoformat()]
    if org_unit and len(org_unit) > 4:
        where.append(table.district_code == org_unit)
    if key is None:
        row = db.session.execute(select(*sums).where(*where)).one()
        return {None: row._asdict()}
    column = getattr(table, key.key)
    stmt = select(column.label("key"), *sums).where(*where).group_by(column)
    rows = db.session.execute(stmt)
    return {k: dict(zip(COUNTS, counts, strict=True)) for k, *counts in rows}


def fresh_as_of() -> datetime | None:
    """Bring the aggregates within HOTLINE_STATS_MAX_AGE of the tickets; return their moment."""
    from hotline.stats import rollup

    # Once per request (a board asks for several tables).
    if has_request_context() and "hotline_stats_as_of" in g:
        return g.hotline_stats_as_of
    # The aggregates are kept on the primary, even when the figures are read from a replica.
    with on_primary():
        as_of = rollup.ensure_fresh(current_app.config["HOTLINE"].stats_max_age)
    if has_request_context():
        g.hotline_stats_as_of = as_of
    return as_of
