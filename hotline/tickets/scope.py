"""The SQL side of the permission table: the tickets an actor may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from hotline.core.actors import Actor
from hotline.core.permissions import ticket_scope
from hotline.tickets.models import Ticket


def scope_filter(actor: Actor) -> ColumnElement[bool]:
    """Return the SQL condition selecting the tickets ``actor`` may see."""
    kind, code = ticket_scope(actor)
    if kind == "all":
        return true()
    if kind == "department":
        return Ticket.department_code == code
    if kind == "org_unit":
        return Ticket.scope_code.startswith(code or "", autoescape=True)
    return Ticket.id.is_(None)
