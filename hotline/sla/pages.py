"""The overdue list's pages and counts: a page in the asked order, the counts per level."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.core.planner import grouped_rows
from hotline.sla.overdue import (
    list_conditions,
    narrowing,
    overdue_branches,
    overdue_item,
    slice_rows,
)
from hotline.sla.plan import LEVELS_UP
from hotline.tickets.models import Ticket


def overdue_page(
    actor: Actor,
    args: dict[str, Any],
    now: datetime,
    levels: dict[str | None, int] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the overdue tickets ``actor`` may see, and how many there are
    (counted here per escalation level unless ``levels`` are known: see overdue_tally).
    """
    if levels is None:
        sub = overdue_branches(Ticket.escalation_level, where=list_conditions(actor, args), now=now)
        stmt = select(sub.c.escalation_level, func.count()).group_by(sub.c.escalation_level)
        levels = _levels(grouped_rows(stmt))
    page, per_page = args["page"], args["per_page"]
    if args["sort"] == "level":
        rows = _level_slice(actor, args, now, levels, per_page, (page - 1) * per_page)
    else:
        stmt = slice_rows(actor, args, now, per_page, (page - 1) * per_page)
        rows = list(db.session.execute(stmt))
    tz = settings().timezone
    return [overdue_item(row, now, tz) for row in rows], sum(levels.values())


def _levels(pairs: Any) -> dict[str | None, int]:
    """Add up (escalation level, count) pairs; levels outside LEVELS_UP go under None."""
    counts: dict[str | None, int] = {}
    for level, n in pairs:
        key = level if level in LEVELS_UP else None
        counts[key] = counts.get(key, 0) + int(n or 0)
    return counts


def _level_slice(
    actor: Actor, args: dict[str, Any], now: datetime, levels: dict, limit: int, offset: int
) -> list[Any]:
    """Return one slice of the list sorted by level, highest first, most overdue first within.

    A level's tickets are read from its clocks' indexes in deadline order, from the slice's
    offset within that level: only the levels the slice falls in are read, not the whole list.
    """
    rows: list[Any] = []
    for level in (*reversed(LEVELS_UP), None):
        if offset >= levels.get(level, 0):
            offset -= levels.get(level, 0)
            continue
        same = Ticket.escalation_level == level
        if level is None:
            same = or_(Ticket.escalation_level.is_(None), Ticket.escalation_level.not_in(LEVELS_UP))
        within = {**args, "sort": "most_overdue"}
        rows += db.session.execute(
            slice_rows(actor, within, now, limit - len(rows), offset, [same])
        )
        offset = 0
        if len(rows) >= limit:
            break
    return rows


def overdue_tally(
    actor: Actor, args: dict[str, Any], now: datetime
) -> tuple[dict[str | None, int], list[str]]:
    """Return how many tickets the filtered list holds per escalation level (overdue_page's
    ``levels``) and the departments (codes) with overdue tickets in scope and function, the
    board's choices: one pass over the open work for both.
    """
    narrowed = narrowing(args)
    shown = case((and_(*narrowed), 1), else_=0) if narrowed else literal(1)
    sub = overdue_branches(
        Ticket.department_code, Ticket.escalation_level, shown.label("shown"),
        where=list_conditions(actor, args, True), now=now,
    )  # fmt: skip
    keys = (sub.c.department_code, sub.c.escalation_level)
    rows = grouped_rows(select(*keys, func.sum(sub.c.shown)).group_by(*keys))
    codes = sorted({code for code, _level, _n in rows if code})
    return _levels((level, n) for _code, level, n in rows), codes
