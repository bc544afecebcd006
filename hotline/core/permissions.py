"""What each role may see and do: one table; the consoles, operations and queries ask it.

The state table (tickets.states) says which role may take which action; this table says the
rest: which tickets a role sees, whose phone numbers unmasked, where it lands, its menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hotline.core.errors import Forbidden

if TYPE_CHECKING:
    from hotline.core.actors import Actor


class Scoped(Protocol):
    """What a ticket shows of itself to the scope checks."""

    department_code: str | None
    scope_code: str


@dataclass(frozen=True)
class Role:
    """One role's rights.

    ``tickets``: "all"; "department" (its own department's); "org_unit" (its unit and below);
    "proof" (only the one whose number and phone it proved: residents). ``full_phone``: "all",
    "department" (its own department's tickets) or "none". ``consoles``: the menu, in order.
    """

    name: str
    staff: bool
    tickets: str
    full_phone: str
    home: str | None
    consoles: tuple[str, ...]
    superuser: bool = False


# Every console of the web menu, in menu order (the URL is "/" + the key).
CONSOLES = ("operator", "department", "supervisor", "search", "admin", "public")

ROLE_TABLE: dict[str, Role] = {
    "operator": Role("operator", True, "all", "all", "operator", ("operator", "search", "public")),
    "agent": Role(
        "agent",
        True,
        "department",
        "department",
        "department",
        ("department", "search", "public"),
    ),
    "supervisor": Role(
        "supervisor", True, "org_unit", "none", "supervisor", ("supervisor", "search", "public")
    ),
    "admin": Role("admin", True, "all", "all", "admin", CONSOLES, superuser=True),
    "system": Role("system", False, "all", "none", None, ()),
    "resident": Role("resident", False, "proof", "none", None, ()),
}
NOBODY = Role("", False, "none", "none", None, ())

# The roles a staff account can have, in the order forms list them.
ROLES = tuple(name for name, role in ROLE_TABLE.items() if role.staff)
# Roles that may do everything (the state table adds them to every action).
SUPERUSERS = frozenset(name for name, role in ROLE_TABLE.items() if role.superuser)


def role(name: str) -> Role:
    """Return the rights of role ``name`` (an unknown role has none)."""
    return ROLE_TABLE.get(name, NOBODY)


def is_staff(name: str) -> bool:
    """Tell whether ``name`` is a role of signed-in staff."""
    return role(name).staff


def ticket_scope(actor: Actor) -> tuple[str, str | None]:
    """Return which tickets ``actor`` sees: ("all"|"department"|"org_unit"|"none", the code)."""
    kind = role(actor.role).tickets
    if kind in ("all", "proof"):
        return "all" if kind == "all" else "none", None
    code = actor.department_code if kind == "department" else actor.org_unit_code
    return (kind, code) if code else ("none", None)


def can_see(actor: Actor, ticket: Scoped) -> bool:
    """Tell whether ``actor`` may see ``ticket`` (the Python twin of tickets.scope.scope_filter).

    A resident reaches a ticket only after proving number and phone (tickets.operations.track).
    """
    if role(actor.role).tickets == "proof":
        return True
    kind, code = ticket_scope(actor)
    if kind == "department":
        return ticket.department_code == code
    if kind == "org_unit":
        return ticket.scope_code.startswith(code or "")
    return kind == "all"


def sees_full_phone(actor: Actor, ticket: Scoped) -> bool:
    """Tell whether ``actor`` sees the resident's number unmasked on ``ticket``."""
    rule = role(actor.role).full_phone
    if rule == "department":
        return ticket.department_code == actor.department_code
    return rule == "all"


def needs_unit(name: str) -> str | None:
    """Return what an account of role ``name`` must belong to: "department", "org_unit" or None."""
    kind = role(name).tickets
    return kind if kind in ("department", "org_unit") else None


def may_open(name: str, console: str) -> bool:
    """Tell whether role ``name`` may open the web console ``console``."""
    return console in role(name).consoles


def home_console(name: str) -> str | None:
    """Return the console role ``name`` lands on after signing in."""
    return role(name).home


def is_admin(actor: Actor) -> bool:
    """Tell whether ``actor`` administers the system (accounts, departments, keys, knowledge)."""
    return role(actor.role).superuser


def require_admin(actor: Actor, message: str) -> None:
    """Refuse with ``message`` unless ``actor`` is an admin."""
    if not is_admin(actor):
        raise Forbidden(message)
