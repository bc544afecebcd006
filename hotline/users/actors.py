"""Who acts on a ticket: a member of staff, a resident or the system itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, true

from hotline.tickets.models import Ticket
from hotline.users.models import User


@dataclass(frozen=True)
class Actor:
    """The acting party passed to every operation, so web, CLI and workers share them."""

    id: int | None
    label: str
    role: str
    department_code: str | None = None
    org_unit_code: str | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        """Return the actor for a signed-in user."""
        return cls(user.id, user.label, user.role, user.department_code, user.org_unit_code)

    @property
    def is_staff(self) -> bool:
        """Tell whether this actor is a signed-in member of staff."""
        return self.role in ("operator", "agent", "supervisor", "admin")


SYSTEM = Actor(None, "system", "system")
RESIDENT = Actor(None, "resident", "resident")


def code_prefix(column: Any, code: str) -> ColumnElement[bool]:
    """Return ``column LIKE 'code%'``, a constant prefix that the pattern-ops indexes serve.

    Under a database collation other than C, a plain b-tree index cannot serve LIKE; the
    org-code indexes of tickets are varchar_pattern_ops for this (migration 0008).
    """
    if code.isdigit():
        return column.like(f"{code}%")
    return column.startswith(code, autoescape=True)


def scope_filter(actor: Actor) -> ColumnElement[bool]:
    """Return the SQL condition selecting the tickets ``actor`` may see."""
    if actor.role in ("operator", "admin", "system"):
        return true()
    if actor.role == "agent" and actor.department_code:
        return Ticket.department_code == actor.department_code
    if actor.role == "supervisor" and actor.org_unit_code:
        return code_prefix(Ticket.scope_code, actor.org_unit_code)
    return Ticket.id.is_(None)


def can_see(actor: Actor, ticket: Ticket) -> bool:
    """Tell whether ``actor`` may see ``ticket`` (the Python twin of scope_filter).

    A resident reaches a ticket only after proving number and phone (tickets.operations.track).
    """
    if actor.role in ("operator", "admin", "system", "resident"):
        return True
    if actor.role == "agent":
        return bool(actor.department_code) and ticket.department_code == actor.department_code
    if actor.role == "supervisor":
        return bool(actor.org_unit_code) and ticket.scope_code.startswith(actor.org_unit_code)
    return False


def sees_full_phone(actor: Actor, ticket: Ticket) -> bool:
    """Operators and the ticket's own department see the resident's number unmasked."""
    if actor.role in ("operator", "admin"):
        return True
    return actor.role == "agent" and ticket.department_code == actor.department_code
