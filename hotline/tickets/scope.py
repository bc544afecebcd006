"""The SQL side of the permission table: the tickets an actor may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, or_, select, true

from hotline.core.actors import Actor
from hotline.core.permissions import ticket_scope
from hotline.org.divisions import CODE_LENGTHS
from hotline.tickets.models import Ticket, TicketPart

# A district's code (province, city, district) is the prefix of all its places' codes.
DISTRICT_LENGTH = CODE_LENGTHS["district"]


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


def listed_scope(actor: Actor) -> ColumnElement[bool]:
    """Return scope_filter(actor) in the form a newest-first list pages best.

    A district's tickets (``scope_code LIKE '510107%'``) are read in date order from their own
    index (ix_tickets_district_created, PostgreSQL): the walk of the city's newest-first index
    skipped some twenty other districts' tickets for each of its own, at any page depth.
    """
    kind, code = ticket_scope(actor)
    if kind == "org_unit" and code and len(code) == DISTRICT_LENGTH and code.isdigit():
        return district_of(Ticket.scope_code) == code
    return scope_filter(actor)


def district_of(column: Any) -> ColumnElement[str]:
    """Return the district of an org code column: its first digits (DISTRICT_KEY_SQL)."""
    # Literal positions: an expression index matches only the same constants, and a prepared
    # statement's generic plan would see parameters.
    return func.substr(column, literal_column("1"), literal_column(str(DISTRICT_LENGTH)))


def part_of(actor: Actor, ticket: Ticket) -> TicketPart | None:
    """Return the assisting part of the actor's department on ``ticket``, if any."""
    if actor.role != "agent" or not actor.department_code:
        return None
    live = [p for p in ticket.parts if p.department_code == actor.department_code]
    live = [p for p in live if p.status != "withdrawn"]
    return live[-1] if live else None
