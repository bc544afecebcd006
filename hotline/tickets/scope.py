"""The SQL side of the permission table: the tickets an actor may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true

from hotline.core.actors import Actor
from hotline.core.permissions import ticket_scope
from hotline.tickets.models import Ticket


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
        return Ticket.department_code == code
    if kind == "org_unit":
        return code_prefix(Ticket.scope_code, code or "")
    return Ticket.id.is_(None)
