"""Who acts on a ticket: a member of staff, a resident or the system itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, true

from hotline.tickets.models import Ticket, TicketPart
from hotline.users.models import User


@dataclass(frozen=True)
class Actor:
    """The acting party passed to every operation, so web, CLI and workers share them."""

    id: int | None
    label: str
    role: str
    department_code: str | None = None
    org_unit_code: str | None = None
    reviewer: bool = False

    @classmethod
    def of(cls, user: User) -> Actor:
        """Return the actor for a signed-in user."""
        return cls(
            user.id,
            user.label,
            user.role,
            user.department_code,
            user.org_unit_code,
            bool(user.reviewer),
        )

    @property
    def is_reviewer(self) -> bool:
        """Tell whether this actor may rule on requests and replies (审核)."""
        return self.role in ("supervisor", "admin") or (self.role == "operator" and self.reviewer)

    @property
    def is_centre(self) -> bool:
        """Tell whether this actor works at the 12345 centre (sees confidential identities)."""
        return self.role in ("operator", "admin", "system")

    @property
    def is_staff(self) -> bool:
        """Tell whether this actor is a signed-in member of staff."""
        return self.role in ("operator", "agent", "supervisor", "admin")


SYSTEM = Actor(None, "system", "system")
RESIDENT = Actor(None, "resident", "resident")


def scope_filter(actor: Actor) -> ColumnElement[bool]:
    """Return the SQL condition selecting the tickets ``actor`` may see."""
    if actor.role in ("operator", "admin", "system"):
        return true()
    if actor.role == "agent" and actor.department_code:
        # The lead department, or an assisting one with a live part (协办).
        parts = select(TicketPart.ticket_id).where(
            TicketPart.department_code == actor.department_code,
            TicketPart.status != "withdrawn",
        )
        return or_(Ticket.department_code == actor.department_code, Ticket.id.in_(parts))
    if actor.role == "supervisor" and actor.org_unit_code:
        return Ticket.scope_code.startswith(actor.org_unit_code, autoescape=True)
    return Ticket.id.is_(None)


def can_see(actor: Actor, ticket: Ticket) -> bool:
    """Tell whether ``actor`` may see ``ticket`` (the Python twin of scope_filter).

    A resident reaches a ticket only after proving number and phone (tickets.operations.track).
    """
    if actor.role in ("operator", "admin", "system", "resident"):
        return True
    if actor.role == "agent":
        return bool(actor.department_code) and (
            ticket.department_code == actor.department_code or part_of(actor, ticket) is not None
        )
    if actor.role == "supervisor":
        return bool(actor.org_unit_code) and ticket.scope_code.startswith(actor.org_unit_code)
    return False


def part_of(actor: Actor, ticket: Ticket) -> TicketPart | None:
    """Return the assisting part of the actor's department on ``ticket``, if any."""
    if actor.role != "agent" or not actor.department_code:
        return None
    live = [p for p in ticket.parts if p.department_code == actor.department_code]
    live = [p for p in live if p.status != "withdrawn"]
    return live[-1] if live else None


def sees_identity(actor: Actor, ticket: Ticket) -> bool:
    """Tell whether ``actor`` may know who the resident is (保密 hides them from departments)."""
    return not ticket.confidential or actor.is_centre


def sees_full_phone(actor: Actor, ticket: Ticket) -> bool:
    """Operators and the ticket's own department see the resident's number unmasked."""
    if not sees_identity(actor, ticket):
        return False
    if actor.role in ("operator", "admin"):
        return True
    return actor.role == "agent" and ticket.department_code == actor.department_code
