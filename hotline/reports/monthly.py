"""Gather a month's figures: volumes, rates, ranking, overdue, hotspots and typical cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from hotline.assessment.operations import month_rows, month_window, ranked_with_previous
from hotline.assessment.scheme import Scheme
from hotline.core.actors import Actor
from hotline.core.context import label
from hotline.core.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.sla.models import SlaMark
from hotline.stats import operations as stats
from hotline.tickets.models import Ticket, TicketEvent

REPORTER = Actor(None, "report", "admin")
TYPICAL_CASES = 3


def _label(kind: str, code: str | None) -> str:
    return label(kind, code) if code else "未派单"


def _volumes(w: Any, key: Any, kind: str, join: bool = False) -> list[tuple[str, int]]:
    stmt = select(key, func.count(Ticket.id)).where(
        Ticket.created_at >= w.start, Ticket.created_at < w.end, Ticket.status != "merged"
    )
    if join:
        stmt = stmt.outerjoin(Department, Department.code == Ticket.department_code)
    rows = db.session.execute(stmt.group_by(key)).all()
    return sorted(((_label(kind, code), n) for code, n in rows), key=lambda r: (-r[1], r[0]))


def _marks(w: Any, kind: str) -> int:
    return int(
        db.session.scalar(
            select(func.count(SlaMark.id)).where(
                SlaMark.kind == kind, SlaMark.created_at >= w.start, SlaMark.created_at < w.end
            )
        )
        or 0
    )


def _excluded(w: Any) -> int:
    """Count the month's ratings a supervisor took out of the figures (不合理诉求)."""
    return int(
        db.session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.created_at >= w.start, Ticket.created_at < w.end,
                Ticket.rating_excluded.is_(True),
            )
        )
        or 0
    )  # fmt: skip


def _escalated(w: Any) -> list[dict[str, Any]]:
    """Return the month's tickets that climbed furthest up the levels (督办), worst first."""
    rows = db.session.execute(
        select(Ticket.number, Ticket.type, Ticket.escalation_level, Ticket.escalation_count,
               Ticket.status, Department.name)
        .outerjoin(Department, Department.code == Ticket.department_code)
        .where(Ticket.created_at >= w.start, Ticket.created_at < w.end,
               Ticket.escalation_count > 0)
        .order_by(Ticket.escalation_count.desc(), Ticket.number)
        .limit(10)
    )  # fmt: skip
    return [
        {"number": n, "type": _label("type", t), "level": _label("level", lvl),
         "count": c, "status": _label("status", s), "department": d or "—"}
        for n, t, lvl, c, s, d in rows
    ]  # fmt: skip


def _typical(w: Any) -> list[dict[str, Any]]:
    """Return a few finished tickets of the month that took the most steps (典型案例)."""
    steps = func.count(TicketEvent.id)
    rows = db.session.execute(
        select(Ticket.id, steps)
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(Ticket.created_at >= w.start, Ticket.created_at < w.end,
               Ticket.status.in_(("resolved", "closed")), Ticket.reply.is_not(None))
        .group_by(Ticket.id)
        .order_by(steps.desc(), Ticket.id)
        .limit(TYPICAL_CASES)
    ).all()  # fmt: skip
    cases = []
    for ticket_id, count in rows:
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket is not None
        # The report leaves the building: the matter and the answer, never who asked.
        cases.append({
            "number": ticket.number,
            "type": _label("type", ticket.type),
            "department": ticket.department.name if ticket.department else "—",
            "matter": ticket.description[:160],
            "reply": (ticket.reply or "")[:240],
            "rating": _label("rating", ticket.rating) if ticket.rating else "未评价",
            "steps": count,
        })  # fmt: skip
    return cases


def monthly_data(month: str, city: str, tz: str, now: datetime, scheme: Scheme) -> dict[str, Any]:
    """Return everything the monthly report shows, for ``month`` (YYYY-MM)."""
    w = month_window(month, tz)
    unit = db.session.get(OrgUnit, city)
    districts = [r for r in ranked_with_previous("district", month, tz, now, scheme) if r["ranked"]]
    departments = [r for r in month_rows("department", month, tz, now, scheme) if r["ranked"]]
    departments.sort(key=lambda r: (-(r["score"] or 0), r["code"]))
    spots = stats.hotspots(REPORTER, None, w, limit=10)
    return {
        "month": month,
        "month_label": f"{int(month[:4])}年{int(month[5:])}月",
        "city": unit.name if unit else city,
        "window": w.as_dict(),
        "totals": stats.totals(REPORTER, None, w, now),
        "by_channel": _volumes(w, Ticket.channel, "channel"),
        "by_type": _volumes(w, Ticket.type, "type"),
        "by_function": _volumes(w, Department.function, "function", join=True),
        "districts": sorted(districts, key=lambda r: r["rank"]),
        "departments_top": departments[:10],
        "departments_bottom": departments[-5:][::-1] if len(departments) > 10 else [],
        "red_cards": _marks(w, "overdue"),
        "excluded_ratings": _excluded(w),
        "escalations": _marks(w, "escalate"),
        "escalated": _escalated(w),
        "hotspots": [
            {
                "name": r["name"],
                "total": r["total"],
                "top": _label("function", max(r["counts"], key=r["counts"].get)),
            }
            for r in spots["rows"]
        ],  # fmt: skip
        "cases": _typical(w),
        "scheme": scheme.as_dict(),
    }
