"""Who acts on a ticket: a member of staff, a resident or the system itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.core.permissions import is_staff

if TYPE_CHECKING:
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
        return is_staff(self.role)


SYSTEM = Actor(None, "system", "system")
RESIDENT = Actor(None, "resident", "resident")
