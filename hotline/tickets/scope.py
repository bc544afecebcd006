"""The SQL side of the permission table: the tickets an actor may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from hotline.core.actors import Actor
from hotline.core.permissions import ticket_scope
from hotline.tickets.models import Ticket, TicketPart


def code_prefix(column: Any, code: str) -> ColumnElement[bool]:
    """Return ``column LIKE 'code%'``, a constant prefix that the pattern-ops indexes serve.

    Under a database collation other than C, a plain b-tree index cannot serve LIKE; the
    org-code indexes of tickets are varchar_pattern_ops for this (migration 0011).
    """
    if code.isdigit():
        return column.like(f"{code}%")
    return column.startswith(code, autoescape=True)


def scope_filter(actor: Actor) -> ColumnElement[bool]:
    """Return the SQL condition selecting the tickets ``actor`` may see."""
    kind, code = ticket_scope(actor)
    if kind == "all":
        return true()
    if kind == "department":
        # The lead department, or an assisting one with a live part (协办).
        parts = select(TicketPart.ticket_id).where(
            TicketPart.department_code == code, TicketPart.status != "withdrawn"
        )
        return or_(Ticket.department_code == code, Ticket.id.in_(parts))
    if kind == "org_unit":
        return code_prefix(Ticket.scope_code, code or "")
    return Ticket.id.is_(None)


def part_of(actor: Actor, ticket: Ticket) -> TicketPart | None:
    """Return the assisting part of the actor's department on ``ticket``, if any."""
    if actor.role != "agent" or not actor.department_code:
        return None
    live = [p for p in ticket.parts if p.department_code == actor.department_code]
    live = [p for p in live if p.status != "withdrawn"]
    return live[-1] if live else None
