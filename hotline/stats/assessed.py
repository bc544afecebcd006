"""What only the monthly assessment (考核) counts: resolutions on time, excluded ratings, and
the deductions (red cards, refused reviews) per local day they happened.

The deductions belong to the ticket's unit now (a transfer moves them) and to the day of the
mark or verdict, not the ticket's creation day: a refresh recounts the days of new marks and
verdicts, and the days of every mark and verdict of a ticket changed since the last run.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import String, and_, case, delete, func, select, union

from hotline.core.extensions import db
from hotline.sla.models import SlaMark
from hotline.stats.models import DEDUCTED, StatsDeduction
from hotline.stats.window import Window, local_day
from hotline.tickets.models import Ticket, TicketEvent

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
# The refusals issued by the centre's reviews (派单异议审核, 办结审核) that cost points.
REFUSALS = {"review_request": "refused_returns", "review_reply": "replies_sent_back"}
KEYS = ("day", "department_code", "street_code")


def _sum(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def measures() -> list[Any]:
    """Return the SQL counts of ASSESSED, over the tickets counted (as _measures)."""
    resolved = Ticket.resolved_at.is_not(None)
    return [
        _sum(resolved).label("resolved"),
        _sum(and_(resolved, Ticket.resolved_at <= Ticket.resolve_due)).label("resolved_in_time"),
        _sum(Ticket.rating_excluded.is_(True)).label("excluded"),
    ]


def _day(column: Any) -> Any:
    today = date.today()
    return local_day(column, Window(today, today, current_app.config["HOTLINE"].timezone))


def _bounds(days: list[str]) -> tuple[datetime, datetime]:
    w = Window(date.fromisoformat(min(days)), date.fromisoformat(max(days)),
               current_app.config["HOTLINE"].timezone)  # fmt: skip
    return w.start, w.end


def counted(days: list[str] | None) -> dict[tuple[str, str, str], dict[str, int]]:
    """Count the deductions of ``days`` (None: every day) per day, department and street."""
    keys = (func.coalesce(Ticket.department_code, ""), func.substr(PLACE, 1, 9))
    found: dict[tuple[str, str, str], dict[str, int]] = {}
    marked, at = _day(SlaMark.created_at), _day(TicketEvent.at)
    red = (
        select(marked, *keys, func.count(SlaMark.id))
        .join(Ticket, Ticket.id == SlaMark.ticket_id)
        .where(SlaMark.kind == "overdue")
        .group_by(marked, *keys)
    )
    reviews = (
        select(at, *keys, TicketEvent.action, TicketEvent.data)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.action.in_(REFUSALS))
    )
    if days is not None:
        start, end = _bounds(days)
        red = red.where(SlaMark.created_at >= start, SlaMark.created_at < end, marked.in_(days))
        reviews = reviews.where(TicketEvent.at >= start, TicketEvent.at < end, at.in_(days))
    for day, dept, street, n in db.session.execute(red):
        found.setdefault((day, dept, street), dict.fromkeys(DEDUCTED, 0))["red_cards"] = n
    # Review verdicts are few: read them and look at their data here (JSON false, exactly).
    for day, dept, street, action, data in db.session.execute(reviews):
        if (data or {}).get("approve") is False:
            row = found.setdefault((day, dept, street), dict.fromkeys(DEDUCTED, 0))
            row[REFUSALS[action]] += 1
    return found


def recount(days: list[str] | None) -> None:
    """Replace the deduction rows of ``days`` (None: all) by a fresh count."""
    if days == []:
        return
    for i in range(0, len(days or [None]), 31):
        chunk = None if days is None else sorted(days)[i : i + 31]
        gone = delete(StatsDeduction)
        if chunk is not None:
            gone = gone.where(StatsDeduction.day.in_(chunk))
        db.session.execute(gone)
        rows = [dict(zip(KEYS, key, strict=True)) | n for key, n in counted(chunk).items()]
        if rows:
            db.session.execute(StatsDeduction.__table__.insert(), rows)


def changed_days(since: datetime) -> list[str]:
    """Return the days of marks and verdicts made, or of tickets changed, after ``since``."""
    marks = select(_day(SlaMark.created_at)).where(SlaMark.kind == "overdue")
    verdicts = select(_day(TicketEvent.at)).where(TicketEvent.action.in_(REFUSALS))
    changed = select(Ticket.id).where(Ticket.updated_at > since)
    return sorted(
        d
        for d in db.session.scalars(
            union(
                marks.where(SlaMark.created_at > since),
                verdicts.where(TicketEvent.at > since),
                marks.where(SlaMark.ticket_id.in_(changed)),
                verdicts.where(TicketEvent.ticket_id.in_(changed)),
            )
        )
        if d
    )


def stored() -> dict[tuple[str, str, str], dict[str, int]]:
    """Return the stored deduction rows, keyed as ``counted``."""
    columns = [getattr(StatsDeduction, c) for c in (*KEYS, *DEDUCTED)]
    return {
        tuple(r[:3]): dict(zip(DEDUCTED, (int(v) for v in r[3:]), strict=True))
        for r in db.session.execute(select(*columns))
    }
