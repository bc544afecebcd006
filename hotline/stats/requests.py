"""Per department: returns and transfers asked for, approved and refused (派单异议 figures)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, case, func, select

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.stats.window import Window
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.scope import scope_filter

REQUESTS = ("return_request", "transfer_request")


def request_counts(actor: Actor, org_unit: str | None, w: Window) -> list[dict[str, Any]]:
    """Return one row per department that asked in the window: asked, approved, refused."""
    dept = TicketEvent.data["department"].as_string()
    approve = TicketEvent.data["approve"].as_boolean()
    kind = func.coalesce(TicketEvent.data["kind"].as_string(), TicketEvent.action, type_=String)
    asked = TicketEvent.action.in_(REQUESTS)
    ruled = TicketEvent.action == "review_request"
    stmt = (
        select(
            dept.label("department"),
            func.sum(case((asked, 1), else_=0)).label("requests"),
            func.sum(case((asked & kind.like("return%"), 1), else_=0)).label("returns"),
            func.sum(case((asked & kind.like("transfer%"), 1), else_=0)).label("transfers"),
            func.sum(case((ruled & approve.is_(True), 1), else_=0)).label("approved"),
            func.sum(case((ruled & approve.is_(False), 1), else_=0)).label("refused"),
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.action.in_((*REQUESTS, "review_request")),
            TicketEvent.at >= w.start,
            TicketEvent.at < w.end,
            scope_filter(actor),
        )
        .group_by(dept)
    )
    if org_unit:
        stmt = stmt.where(Ticket.scope_code.startswith(org_unit, autoescape=True))
    rows = [r._asdict() for r in db.session.execute(stmt) if r.department]
    names = dict(
        db.session.execute(
            select(Department.code, Department.name).where(
                Department.code.in_([r["department"] for r in rows])
            )
        ).all()
    )
    for row in rows:
        row["name"] = names.get(row["department"], row["department"])
        for key in ("requests", "returns", "transfers", "approved", "refused"):
            row[key] = int(row[key] or 0)
        row["pending"] = max(row["requests"] - row["approved"] - row["refused"], 0)
    return sorted(rows, key=lambda r: (-r["requests"], r["department"]))
