"""Joint handling (主办/协办): assisting departments' parts of one ticket, each on its own clock.

The lead department's part is the ticket itself; an assisting part signs for its share, writes
its contribution and is done, and the lead resolves the ticket with one reply to the resident.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.core.actors import Actor
from hotline.core.context import clock, settings
from hotline.core.errors import FieldError, PartsOpen
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat
from hotline.org.models import Department
from hotline.tickets import notices
from hotline.tickets.models import Ticket, TicketPart


def _t(value: datetime | None) -> str | None:
    return isoformat(value, settings().timezone)


def open_parts(ticket: Ticket) -> list[TicketPart]:
    """Return the assisting parts still at work."""
    return [p for p in ticket.parts if p.open]


def withdraw_all(ticket: Ticket, now: datetime) -> list[str]:
    """Withdraw the open parts (the ticket left its lead); return their departments."""
    codes = []
    for part in open_parts(ticket):
        part.status = "withdrawn"
        part.done_at = now
        codes.append(part.department_code)
    return codes


def assign_parts(ticket: Ticket, codes: list[str], now: datetime) -> list[str]:
    """Give each assisting department its part with a fresh sign-for clock."""
    seen: list[str] = []
    for code in codes:
        if code in seen:
            continue
        if code == ticket.department_code:
            raise FieldError("assisting", "the lead department cannot also assist")
        department = db.session.get(Department, code)
        if department is None or not department.active:
            raise FieldError("assisting", f"unknown department {code}")
        part = TicketPart(
            ticket=ticket,
            department_code=code,
            department=department,
            role="assist",
            status="dispatched",
            dispatched_at=now,
            sign_due=clock().sign_due(now, ticket.type, ticket.urgent),
        )
        db.session.add(part)
        notices.part_dispatched(ticket, part, now)
        seen.append(code)
    return seen


def act_on_part(
    part: TicketPart, action: str, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    """Apply an assisting department's sign, note or contribution to its part."""
    data: dict[str, Any] = {"part": part.id, "department": part.department_code}
    if action == "sign":
        part.signed_at = now
        part.resolve_due = clock().resolve_due(now, part.ticket.type, part.ticket.urgent)
        data["in_time"] = bool(part.sign_due and now <= part.sign_due)
    elif action == "contribute":
        part.reply = p["text"]
        part.done_at = now
        data["text"] = p["text"]
        data["in_time"] = bool(part.resolve_due and now <= part.resolve_due)
    else:
        data["text"] = p["text"]
    return data


def check_resolvable(ticket: Ticket, p: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Let the lead resolve once the parts are in, or with its reason why not."""
    waiting = open_parts(ticket)
    if not waiting:
        return {}
    if not p.get("parts_reason"):
        names = "、".join(part.department.name for part in waiting)
        raise PartsOpen(
            f"assisting parts not in yet ({names}): wait, or give parts_reason",
            {"parts_reason": ["required while assisting parts are open"]},
        )
    return {"parts_reason": p["parts_reason"], "withdrawn": withdraw_all(ticket, now)}


def part_json(part: TicketPart) -> dict[str, Any]:
    """Return one assisting part as the API shows it."""
    return {
        "id": part.id,
        "department": part.department_code,
        "department_name": part.department.name if part.department else None,
        "role": part.role,
        "status": part.status,
        "dispatched_at": _t(part.dispatched_at),
        "sign_due": _t(part.sign_due),
        "signed_at": _t(part.signed_at),
        "resolve_due": _t(part.resolve_due),
        "done_at": _t(part.done_at),
        "reply": part.reply,
        "escalation_level": part.escalation_level,
    }


def lead_json(ticket: Ticket) -> dict[str, Any] | None:
    """Return the lead department's part: the ticket's own clocks."""
    if ticket.department is None:
        return None
    return {
        "id": None,
        "department": ticket.department_code,
        "department_name": ticket.department.name,
        "role": "lead",
        "status": ticket.status,  # the lead's part is the ticket's own state
        "dispatched_at": _t(ticket.dispatched_at),
        "sign_due": _t(ticket.sign_due),
        "signed_at": _t(ticket.signed_at),
        "resolve_due": _t(ticket.resolve_due),
        "done_at": _t(ticket.resolved_at),
        "reply": ticket.reply,
        "escalation_level": ticket.escalation_level,
    }


def parts_json(ticket: Ticket) -> list[dict[str, Any]]:
    """Return the lead's part then every assisting part (withdrawn ones included, marked)."""
    lead = lead_json(ticket)
    return ([lead] if lead else []) + [part_json(p) for p in ticket.parts]
