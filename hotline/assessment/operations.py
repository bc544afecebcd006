"""Score every department or area for a month: the weighted rates less the deductions, ranked."""

from __future__ import annotations

import calendar
import copy
import time
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import String, and_, case, func, or_, select

from hotline.assessment.scheme import DEDUCTIONS, PARTS, Scheme
from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.sla.models import SlaMark
from hotline.stats.window import Window
from hotline.tickets.models import Ticket, TicketEvent

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
AREA_LENGTH = {"district": 6, "township": 9}
LEVELS = ("district", "township", "department")
SOLVED = ("satisfied", "basically_satisfied")
# The refusals issued by the centre's reviews (派单异议审核, 办结审核) that cost points.
REFUSALS = {"review_request": "refused_returns", "review_reply": "replies_sent_back"}


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


def _key(level: str) -> tuple[Any, Any]:
    """Return the SQL grouping key of ``level`` and the condition a ticket must meet to count."""
    if level == "department":
        return Ticket.department_code, Ticket.department_code.is_not(None)
    length = AREA_LENGTH[level]
    return func.substr(PLACE, 1, length), func.length(PLACE) >= length


def _sum(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counts(level: str, w: Window, now: datetime) -> dict[str, dict[str, int]]:
    """Count, per unit, what the parts are made of (tickets created in the window)."""
    key, counts_here = _key(level)
    rated = and_(Ticket.rating.is_not(None), Ticket.rating_excluded.is_(False))
    liked = and_(rated, Ticket.rating.in_(SOLVED))
    reopened = select(TicketEvent.ticket_id).where(TicketEvent.action == "reopen")
    settled = and_(
        Ticket.dispatched_at.is_not(None),
        or_(Ticket.signed_at.is_not(None), Ticket.sign_due < now),
    )
    stmt = (
        select(
            key.label("key"),
            func.count(Ticket.id).label("tickets"),
            _sum(settled).label("dispatched"),
            _sum(and_(Ticket.signed_at.is_not(None), Ticket.signed_at <= Ticket.sign_due)).label(
                "signed_in_time"
            ),
            _sum(Ticket.resolved_at.is_not(None)).label("resolved"),
            _sum(
                and_(Ticket.resolved_at.is_not(None), Ticket.resolved_at <= Ticket.resolve_due)
            ).label("resolved_in_time"),
            _sum(rated).label("rated"),
            _sum(liked).label("satisfied"),
            _sum(and_(liked, Ticket.id.not_in(reopened))).label("solved"),
            _sum(Ticket.rating_excluded.is_(True)).label("excluded"),
        )
        .where(
            counts_here,
            Ticket.status != "merged",
            Ticket.created_at >= w.start,
            Ticket.created_at < w.end,
        )
        .group_by(key)
    )
    return {row.key: row._asdict() for row in db.session.execute(stmt)}


def _deductions(level: str, w: Window) -> dict[str, dict[str, int]]:
    """Count, per unit, the red cards and refused reviews that happened in the window."""
    key, counts_here = _key(level)
    found: dict[str, dict[str, int]] = {}
    red = (
        select(key, func.count(SlaMark.id))
        .join(Ticket, Ticket.id == SlaMark.ticket_id)
        .where(counts_here, SlaMark.kind == "overdue", SlaMark.created_at >= w.start,
               SlaMark.created_at < w.end)
        .group_by(key)
    )  # fmt: skip
    for code, n in db.session.execute(red):
        found.setdefault(code, {})["red_cards"] = n
    # Review verdicts are few per month: read them and look at their data here.
    reviews = (
        select(key, TicketEvent.action, TicketEvent.data)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(counts_here, TicketEvent.action.in_(REFUSALS), TicketEvent.at >= w.start,
               TicketEvent.at < w.end)
    )  # fmt: skip
    for code, action, data in db.session.execute(reviews):
        if (data or {}).get("approve") is False:
            bucket = found.setdefault(code, {})
            bucket[REFUSALS[action]] = bucket.get(REFUSALS[action], 0) + 1
    return found


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


def _units(level: str, codes: set[str]) -> dict[str, dict[str, Any]]:
    if level == "department":
        departments = db.session.execute(
            select(Department.code, Department.name, Department.level, Department.org_unit_code)
            .where(Department.code.in_(codes))
        )  # fmt: skip
        return {c: {"name": n, "group": lvl, "org_unit": u} for c, n, lvl, u in departments}
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


# A month's scores move slowly (late ratings, red cards) and count a month of raw tickets:
# counted at most once per this many seconds per process (when figures may lag at all).
MAX_AGE = 600


def month_rows(
    level: str, month: str, tz: str, now: datetime, scheme: Scheme
) -> list[dict[str, Any]]:
    """Return every unit of ``level`` with tickets in ``month``, scored and ranked city-wide."""
    ttl = MAX_AGE if current_app.config["HOTLINE"].stats_max_age else 0
    cache = current_app.extensions.setdefault("hotline_assessment_rows", {})
    key = (level, month, tz, id(scheme))
    hit = cache.get(key)
    if ttl and hit is not None and time.monotonic() - hit[0] < ttl:
        return copy.deepcopy(hit[1])
    rows = _month_rows(level, month, tz, now, scheme)
    if ttl:
        if len(cache) > 50:  # months asked for once: keep the cache small
            cache.clear()
        cache[key] = (time.monotonic(), copy.deepcopy(rows))
    return rows


def _month_rows(
    level: str, month: str, tz: str, now: datetime, scheme: Scheme
) -> list[dict[str, Any]]:
    w = month_window(month, tz)
    counts = _counts(level, w, now)
    deducted = _deductions(level, w)
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
