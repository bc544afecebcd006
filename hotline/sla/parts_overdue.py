"""The overdue list's other half: assisting parts past their own deadlines, and paused clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.sla.overdue import PLACE, overdue_item
from hotline.tickets.models import Ticket, TicketPart
from hotline.tickets.scope import code_prefix, scope_filter

PART_DUE = case(
    (TicketPart.status == "dispatched", TicketPart.sign_due), else_=TicketPart.resolve_due
)
PART_STEP = case((TicketPart.status == "dispatched", literal("sign")), else_=literal("resolve"))


def part_overdue_condition(now: datetime) -> Any:
    """Return the SQL condition of an assisting part whose own clock has run out."""
    return and_(
        Ticket.status.in_(("dispatched", "accepted", "reviewing")),
        Ticket.paused_at.is_(None),
        or_(
            and_(TicketPart.status == "dispatched", TicketPart.sign_due < now),
            and_(TicketPart.status == "accepted", TicketPart.resolve_due < now),
        ),
    )


def _part_scope(actor: Actor) -> Any:
    # An assisting department sees its own parts even on tickets another department leads.
    if actor.role == "agent":
        return TicketPart.department_code == (actor.department_code or "")
    return scope_filter(actor)


def overdue_parts(
    actor: Actor, args: dict[str, Any], now: datetime, limit: int = 500
) -> list[dict[str, Any]]:
    """Return the overdue assisting parts ``actor`` may see, most overdue first."""
    stmt = (
        select(
            Ticket.number,
            Ticket.type,
            Ticket.urgent,
            TicketPart.id,
            TicketPart.escalation_level,
            Department.code,
            Department.name,
            Department.function,
            Department.level,
            PART_STEP.label("step"),
            PART_DUE.label("due"),
            Ticket.description,
            Ticket.address,
        )
        .join(Ticket, Ticket.id == TicketPart.ticket_id)
        .join(Department, Department.code == TicketPart.department_code)
        .where(_part_scope(actor), part_overdue_condition(now))
    )
    if "org_unit" in args:
        # Where the matter happened, as the tickets' own overdue list filters it.
        stmt = stmt.where(code_prefix(PLACE, args["org_unit"]))
    if "function" in args:
        stmt = stmt.where(Department.function == args["function"])
    if "department" in args:
        stmt = stmt.where(TicketPart.department_code == args["department"])
    if "level" in args:
        stmt = stmt.where(TicketPart.escalation_level == args["level"])
    tz = settings().timezone
    rows = db.session.execute(stmt.order_by(PART_DUE, TicketPart.id).limit(limit))
    return [overdue_item(row, now, tz) | {"part": row.id, "role": "assist"} for row in rows]


def paused_count(actor: Actor, args: dict[str, Any]) -> int:
    """Count the tickets in scope whose clock is paused now (not overdue while it is)."""
    stmt = select(func.count(Ticket.id)).where(scope_filter(actor), Ticket.paused_at.is_not(None))
    if "org_unit" in args:
        # Where the matter happened, as the tickets' own overdue list filters it.
        stmt = stmt.where(code_prefix(PLACE, args["org_unit"]))
    if "department" in args:
        stmt = stmt.where(Ticket.department_code == args["department"])
    return db.session.scalar(stmt) or 0


def paused_tickets(actor: Actor, limit: int = 200) -> list[Ticket]:
    """Return the paused tickets in scope, the soonest restart first."""
    return list(
        db.session.scalars(
            select(Ticket)
            .where(scope_filter(actor), Ticket.paused_at.is_not(None))
            .order_by(Ticket.paused_until, Ticket.id)
            .limit(limit)
        )
    )
