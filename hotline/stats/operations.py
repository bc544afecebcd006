"""The three rates (三率), overdue counts and hotspots, counted by GROUP BY in the database.

Definitions (tickets created in the window; duplicates folded by a merge and emergencies
handed to 110/119/120/122 left out):

* response rate (响应率) = tickets signed for within their sign-for limit / tickets dispatched
  whose sign-for is settled (signed, or the limit has passed). A ticket dispatched a minute ago
  and still inside its limit counts in neither number, so fresh work does not drag the rate down.
* resolution rate (解决率) = tickets rated solved / tickets rated, where "solved" means rated
  satisfied or basically satisfied AND never reopened (no ``reopen`` event on the timeline): a
  ticket that needed a second round was not solved the first time.
* satisfaction rate (满意率) = tickets rated satisfied or basically satisfied / tickets rated
  (the latest rating: an unsatisfied rating counts until a later round is rated).
* unreachable (未接通) / refused (拒绝回访) = tickets whose follow-up ended without a rating
  (three calls not reached, or the resident declined): counted apart, not in the rates.
* a merged duplicate's resident rates the main ticket's result on their own ticket; like every
  merged ticket it stays out of the figures (one matter counts once), and the rating is noted
  on the main ticket's timeline for the department and supervisors to read.
* overdue (超时) = open tickets whose running clock has run out now (the SLA module's own
  condition), whatever their creation day.

Ticket counts come from the daily aggregates (hotline.stats.rollup) wherever the place asked
about is a district or the city; deeper places, fewer tickets, are counted from the tickets.
Rates are None when their denominator is zero. Places: a ticket belongs to the org unit of the
place it is about, else to its scope (the department's unit); codes nest by prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g, has_request_context
from sqlalchemy import String, and_, case, func, or_, select, union
from sqlalchemy.orm import aliased

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.permissions import ticket_scope
from hotline.core.planner import grouped_rows
from hotline.org.models import Department, OrgUnit
from hotline.sla.overdue import overdue_branches
from hotline.sla.parts_overdue import part_overdue_condition
from hotline.stats.hotspots import hotspots  # noqa: F401  (the figures' API, in one place)
from hotline.stats.kept import kept
from hotline.stats.models import (
    COUNTS,
    StatsDaily,
)
from hotline.stats.reading import area_scope, fresh_as_of
from hotline.stats.reading import summed as _rolled
from hotline.stats.window import Window, local_day
from hotline.tickets.models import Ticket, TicketEvent, TicketPart
from hotline.tickets.scope import scope_filter

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
SOLVED_RATINGS = ("satisfied", "basically_satisfied")
CHILD_LENGTH = {4: 6, 6: 9, 9: 12}
METRICS = ("response_rate", "resolution_rate", "satisfaction_rate")


def _sum(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures(now: datetime) -> list[Any]:
    reopened = select(TicketEvent.ticket_id).where(TicketEvent.action == "reopen")
    # An excluded rating (不合理诉求, by a supervisor, on the timeline) counts in no rate.
    rated = and_(Ticket.rating.is_not(None), Ticket.rating_excluded.is_(False))
    liked = and_(rated, Ticket.rating.in_(SOLVED_RATINGS))
    settled = and_(
        Ticket.dispatched_at.is_not(None),
        or_(Ticket.signed_at.is_not(None), Ticket.sign_due < now),
    )
    return [
        func.count(Ticket.id).label("received"),
        _sum(settled).label("dispatched"),
        _sum(and_(Ticket.signed_at.is_not(None), Ticket.signed_at <= Ticket.sign_due)).label(
            "signed_in_time"
        ),
        _sum(rated).label("rated"),
        _sum(liked).label("satisfied"),
        _sum(and_(liked, Ticket.id.not_in(reopened))).label("solved"),
        _sum(Ticket.followup_result == "unreachable").label("unreachable"),
        _sum(Ticket.followup_result == "refused").label("refused"),
    ]


def _scope(actor: Actor, w: Window | None = None) -> Any:
    """Return scope_filter(actor), with a department's as one list of ticket ids.

    ``department = X OR id IN (its parts)`` makes PostgreSQL read every ticket of the window;
    the ids of the department's tickets and parts (a few thousand a year) are read by index.
    """
    kind, code = ticket_scope(actor)
    if kind != "department":
        return scope_filter(actor)
    lead = aliased(Ticket)
    own = [lead.department_code == code]
    if w is not None:  # (department, created_at) index range
        own += [lead.created_at >= w.start, lead.created_at < w.end]
    ids = union(
        select(lead.id).where(*own),
        select(TicketPart.ticket_id).where(
            TicketPart.department_code == code, TicketPart.status != "withdrawn"
        ),
    )
    return Ticket.id.in_(ids)


def _where(actor: Actor | None, org_unit: str | None, w: Window | None) -> list[Any]:
    conditions = [Ticket.status != "merged", Ticket.emergency.is_(False)]
    if actor is not None:  # None: no scope (the caller has its own)
        conditions.insert(0, _scope(actor, w))
    if w is not None:
        conditions += [Ticket.created_at >= w.start, Ticket.created_at < w.end]
    if org_unit:
        conditions.append(PLACE.startswith(org_unit, autoescape=True))
    return conditions


def use_rollup(actor: Actor, org_unit: str | None) -> bool:
    """Tell whether the aggregates can answer: places no deeper than a district (a department's
    tickets it assists but does not lead are added by ``with_assisted``).
    """
    return ticket_scope(actor)[0] in ("all", "org_unit", "department") and (
        org_unit is None or len(org_unit) <= 6
    )


def with_assisted(
    counts: dict[Any, dict],
    actor: Actor,
    org_unit: str | None,
    w: Window,
    now: datetime,
    key: Any = None,
) -> dict[Any, dict]:
    """Add to a department's aggregates (the tickets it leads) those it only assists (协办).

    A department's figures count every ticket it leads or assists, once; the aggregates are
    kept by leading department, and the assisted-only tickets are few, so they are counted here.
    """  # fmt: skip
    kind, code = ticket_scope(actor)
    if kind != "department":
        return counts
    parts = select(TicketPart.ticket_id).where(
        TicketPart.department_code == code, TicketPart.status != "withdrawn"
    )
    where = [
        Ticket.id.in_(parts),
        or_(Ticket.department_code != code, Ticket.department_code.is_(None)),
        *_where(None, org_unit, w),
    ]
    stmt = select(*([] if key is None else [key.label("key")]), *_measures(now)).where(*where)
    rows = db.session.execute(stmt if key is None else stmt.group_by(key))
    for row in rows:
        found = row._asdict()
        name = found.pop("key", None)
        if key is not None and name is None:
            continue  # no department leads it: no row of the by-department table
        if not any(found.values()):
            continue
        into = counts.setdefault(name, {})
        for count in COUNTS:
            into[count] = int(into.get(count) or 0) + int(found[count] or 0)
    return counts


def figures(counts: dict[str, int], overdue: int = 0) -> dict[str, Any]:
    """Return the counts with the three rates and the overdue count added."""
    # Thousands of rows per report (a city's departments): one pass, each count read once.
    got = counts.get
    row: dict[str, Any] = {name: int(got(name) or 0) for name in COUNTS}
    dispatched, rated = row["dispatched"], row["rated"]
    row["response_rate"] = round(row["signed_in_time"] / dispatched, 4) if dispatched else None
    row["resolution_rate"] = round(row["solved"] / rated, 4) if rated else None
    row["satisfaction_rate"] = round(row["satisfied"] / rated, 4) if rated else None
    row["overdue"] = int(overdue)
    return row


def _overdue_grid(actor: Actor, org_unit: str | None, now: datetime) -> dict[tuple, int]:
    """Count the overdue tickets per (department, unit one level below ``org_unit``).

    One index-only pass over the open work (the partial indexes carry every column read),
    once per request: the totals, the department and the unit tables all add it up. Like the
    aggregates beside it, the grid may lag the tickets by HOTLINE_STATS_MAX_AGE: a city's is
    some 40,000 open tickets to count, and every supervisor's page of rates asks for it.
    """
    cache_key = ("hotline_overdue", ticket_scope(actor), org_unit, now)
    cache = g.setdefault("hotline_stats_cache", {}) if has_request_context() else {}
    if cache_key in cache:
        return cache[cache_key]
    # Kept within the minute of ``now`` too: a caller's other moment is never served this one's.
    ident = (ticket_scope(actor), org_unit, now.replace(second=0, microsecond=0))
    grid = kept("overdue", ident, lambda: _count_overdue(actor, org_unit, now))
    cache[cache_key] = grid
    return grid


def _count_overdue(actor: Actor, org_unit: str | None, now: datetime) -> dict[tuple, int]:
    place = child_key(org_unit or "")[0] if org_unit else func.substr(PLACE, 1, 6)
    sub = overdue_branches(
        Ticket.department_code.label("department"),
        place.label("place"),
        where=_where(actor, org_unit, None),
        now=now,
    )
    stmt = select(sub.c.department, sub.c.place, func.count()).group_by(
        sub.c.department, sub.c.place
    )
    return {(d, p): n for d, p, n in grouped_rows(stmt)}


def _overdue(actor: Actor, org_unit: str | None, by: int, now: datetime) -> dict[Any, int]:
    """Return the overdue counts by department (``by`` 0) or by unit below ``org_unit`` (1)."""
    counts: dict[Any, int] = {}
    for key, n in _overdue_grid(actor, org_unit, now).items():
        counts[key[by]] = counts.get(key[by], 0) + n
    return counts


def totals(actor: Actor, org_unit: str | None, w: Window, now: datetime) -> dict[str, Any]:
    """Return the figures of every ticket in scope, in ``org_unit``, created in the window."""
    if use_rollup(actor, org_unit):
        counts = with_assisted(_rolled(actor, org_unit, w), actor, org_unit, w, now)[None]
    else:
        counts = (
            db.session.execute(select(*_measures(now)).where(*_where(actor, org_unit, w)))
            .one()
            ._asdict()
        )
    overdue = sum(_overdue_grid(actor, org_unit, now).values())
    # Paused clocks (挂起) are not overdue; the figure says how many stand still now (a
    # partial index holds the paused tickets alone).
    paused = db.session.scalar(
        select(func.count(Ticket.id)).where(
            *_where(actor, org_unit, None), Ticket.paused_at.is_not(None)
        )
    )
    return figures(counts, overdue) | {"paused": paused or 0}


def by_department(
    actor: Actor, org_unit: str | None, w: Window, now: datetime
) -> list[dict[str, Any]]:
    """Return one row per department that had tickets in the window or has overdue ones."""
    key = Ticket.department_code
    if use_rollup(actor, org_unit):
        counts = _rolled(actor, org_unit, w, StatsDaily.department_code)
        counts.pop("", None)
        counts = with_assisted(counts, actor, org_unit, w, now, key)
    else:
        stmt = (
            select(key.label("key"), *_measures(now))
            .where(*_where(actor, org_unit, w), key.is_not(None))
            .group_by(key)
        )
        counts = {r.key: r._asdict() for r in db.session.execute(stmt)}
    overdue = _overdue(actor, org_unit, 0, now)
    # Each assisting department's own part counts in its figures (协办: 各计各的).
    assisted = part_counts(actor, org_unit, w, now)
    for code, extra in assisted.items():
        row = counts.setdefault(code, {})
        for name in ("dispatched", "signed_in_time"):
            row[name] = int(row.get(name) or 0) + int(extra[name])
        overdue[code] = overdue.get(code, 0) + int(extra["overdue"])
    codes = (counts.keys() | overdue.keys()) - {None}
    # Plain columns, not ORM objects: a city-wide report names thousands of departments.
    depts = kept("departments", None, _departments)
    rows = []
    nothing: dict[str, Any] = {}
    for code in sorted(codes):
        row = figures(counts.get(code, nothing), overdue.get(code, 0))
        part = assisted.get(code)
        row["assisted"] = int(part["assisted"] or 0) if part else 0
        row["assisted_on_time"] = int(part["on_time"] or 0) if part else 0
        row["key"] = code
        name, function, level = depts.get(code) or (code, None, None)
        row["name"], row["function"], row["level"] = name, function, level
        rows.append(row)
    return rows


def _departments() -> dict[str, tuple[str, str, str]]:
    """Return every department's name, function and level by code (plain rows, thousands)."""
    stmt = select(Department.code, Department.name, Department.function, Department.level)
    return {
        code: (name, function, level) for code, name, function, level in db.session.execute(stmt)
    }


def part_counts(
    actor: Actor, org_unit: str | None, w: Window, now: datetime
) -> dict[str, dict[str, int]]:
    """Count, per assisting department, its parts: settled, signed in time, done in time."""
    settled = or_(TicketPart.signed_at.is_not(None), TicketPart.sign_due < now)
    signed = and_(TicketPart.signed_at.is_not(None), TicketPart.signed_at <= TicketPart.sign_due)
    on_time = and_(TicketPart.done_at.is_not(None), TicketPart.status == "contributed")
    on_time = and_(on_time, TicketPart.done_at <= TicketPart.resolve_due)
    stmt = (
        select(
            TicketPart.department_code.label("key"),
            func.count(TicketPart.id).label("assisted"),
            _sum(settled).label("dispatched"),
            _sum(signed).label("signed_in_time"),
            _sum(on_time).label("on_time"),
            _sum(part_overdue_condition(now)).label("overdue"),
        )
        .join(Ticket, Ticket.id == TicketPart.ticket_id)
        .where(*_where(actor, org_unit, w), TicketPart.status != "withdrawn")
        .group_by(TicketPart.department_code)
    )
    return {r.key: r._asdict() for r in db.session.execute(stmt)}


def _names(codes: Any) -> dict[str, str]:
    rows = db.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes)))
    return {code: name for code, name in rows}


def child_key(org_unit: str) -> tuple[Any, int]:
    """Return the SQL key of the unit one level below ``org_unit`` and its code length."""
    length = CHILD_LENGTH.get(len(org_unit), len(org_unit))
    return func.substr(PLACE, 1, length), length


def by_org_unit(actor: Actor, org_unit: str, w: Window, now: datetime) -> list[dict[str, Any]]:
    """Return one row per unit one level below ``org_unit`` (tickets placed no deeper: 本级)."""
    key, length = child_key(org_unit)
    if len(org_unit) == 4 and use_rollup(actor, org_unit):
        # A city's children are its districts: the aggregates keep each place's district.
        counts = _rolled(actor, org_unit, w, StatsDaily.district_code)
        counts = with_assisted(counts, actor, org_unit, w, now, func.substr(PLACE, 1, 6))
    elif len(org_unit) == 6 and area_scope(actor) is not None:
        # A district's children are its streets: the aggregates keep each place's street.
        counts = _rolled(actor, org_unit, w, StatsDaily.street_code)
    else:
        stmt = select(key.label("key"), *_measures(now)).where(*_where(actor, org_unit, w))
        counts = {r.key: r._asdict() for r in db.session.execute(stmt.group_by(key))}
    overdue = _overdue(actor, org_unit, 1, now)
    codes = counts.keys() | overdue.keys()
    names = _names(codes)
    rows = []
    for code in sorted(codes):
        row = figures(counts.get(code, {}), overdue.get(code, 0))
        row |= {"key": code, "name": names.get(code, code), "self": len(code) < length}
        rows.append(row)
    return rows


def children(org_unit: str) -> list[OrgUnit]:
    """Return the units directly below ``org_unit``, by code."""
    return list(
        db.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_code == org_unit).order_by(OrgUnit.code)
        )
    )


def by_day(actor: Actor, org_unit: str | None, w: Window, now: datetime) -> list[dict[str, Any]]:
    """Return one row per local day of the window (days without tickets are zeros)."""
    key = local_day(Ticket.created_at, w)
    if use_rollup(actor, org_unit):
        counts = with_assisted(_rolled(actor, org_unit, w, StatsDaily.day), actor, org_unit, w,
                               now, key)  # fmt: skip
    else:
        stmt = select(key.label("key"), *_measures(now)).where(*_where(actor, org_unit, w))
        counts = {r.key: r._asdict() for r in db.session.execute(stmt.group_by(key))}
    return [
        figures(counts.get(day.isoformat(), {})) | {"key": day.isoformat(), "name": day.isoformat()}
        for day in w.days
    ]


def ranking(rows: list[dict[str, Any]], metric: str = "satisfaction_rate") -> list[dict[str, Any]]:
    """Return ``rows`` best first on ``metric``; rows without the rate go last."""
    return sorted(
        rows, key=lambda r: (r[metric] is None, -(r[metric] or 0), -r["received"], r["key"])
    )


def rates(actor: Actor, org_unit: str | None, by: str, w: Window, now: datetime) -> dict[str, Any]:
    """Return the total and the rows grouped ``by`` department, org unit or day."""
    as_of = fresh_as_of()
    if by == "department":
        items = by_department(actor, org_unit, w, now)
    elif by == "org_unit":
        items = by_org_unit(actor, org_unit or "", w, now)
    else:
        items = by_day(actor, org_unit, w, now)
    body = {"by": by, **w.as_dict(), "total": totals(actor, org_unit, w, now), "items": items}
    return body | {"as_of": as_of.isoformat() + "Z" if as_of else None}
