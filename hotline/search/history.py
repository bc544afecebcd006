"""A caller's earlier tickets (来电弹屏): who may see them and in what order."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import case, select

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import FieldError, Forbidden
from hotline.core.extensions import db
from hotline.core.phones import normalise
from hotline.core.timeutil import isoformat
from hotline.tickets.models import OPEN_STATUSES, Ticket

HISTORY_LIMIT = 100


def caller_phone(raw: str) -> str:
    """Return the stored form of a caller's number, or raise a 400 naming the field."""
    phone = normalise(raw)
    if phone:
        return phone
    if re.fullmatch(r"\+\d{7,19}", raw or ""):
        return raw  # a foreign caller, stored with its "+" (hotline.twilio.operations)
    raise FieldError("phone", "not a phone number")


def may_see_history(actor: Actor, phone: str) -> bool:
    """Operators see every caller; a department only callers whose ticket it holds."""
    if actor.role in ("operator", "admin"):
        return True
    if actor.role != "agent" or not actor.department_code:
        return False
    # A confidential ticket does not count: the answer would say who filed it (保密).
    held = select(Ticket.id).where(
        Ticket.phone == phone,
        Ticket.department_code == actor.department_code,
        ~Ticket.confidential,
    )
    return db.session.scalar(held.limit(1)) is not None


def caller_tickets(
    phone: str, actor: Actor, open_first: bool = False, limit: int = HISTORY_LIMIT
) -> list[Ticket]:
    """Return the phone's tickets, newest first (open ones first when asked); 403 if refused."""
    if not may_see_history(actor, phone):
        raise Forbidden("only operators and a department holding one may look")
    order: list[Any] = [Ticket.created_at.desc(), Ticket.id.desc()]
    if open_first:
        order.insert(0, case((Ticket.status.in_(OPEN_STATUSES), 0), else_=1))
    stmt = select(Ticket).where(Ticket.phone == phone)
    if not actor.is_centre:
        stmt = stmt.where(~Ticket.confidential)  # only the centre knows who filed those
    return list(db.session.scalars(stmt.order_by(*order).limit(limit)))


def history_json(ticket: Ticket) -> dict[str, Any]:
    """Return one line of the caller's history."""
    return {
        "number": ticket.number,
        "status": ticket.status,
        "open": ticket.status in OPEN_STATUSES,
        "type": ticket.type,
        "channel": ticket.channel,
        "urgent": ticket.urgent,
        "rating": ticket.rating,
        "description": ticket.description[:200],
        "address": ticket.address,
        "org_unit": ticket.org_unit.name if ticket.org_unit else None,
        "department": ticket.department.name if ticket.department else None,
        "created_at": isoformat(ticket.created_at, settings().timezone),
    }
