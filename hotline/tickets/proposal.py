"""The router's proposal as stored on a ticket (ticket.routing), read through one typed view.

The JSON keeps the shape routing.engine.Decision.to_dict writes (the API returns it as is);
everything that reads it back asks this class instead of digging in the dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# From the most to the least precise: the deepest level found names the ticket's place.
PLACE_LEVELS = ("community", "township", "district")


@dataclass(frozen=True)
class Proposal:
    """Where the router would send a ticket, and what it saw on the way."""

    department_code: str | None = None
    place: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False
    emergency: dict[str, Any] | None = None
    rule: str | None = None
    ruleset_version: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Proposal:
        """Read the stored JSON (None or {} when the router proposed nothing)."""
        data = data or {}
        return cls(
            department_code=(data.get("department") or {}).get("code"),
            place=data.get("place") or {},
            urgent=bool(data.get("urgent")),
            emergency=data.get("emergency") or None,
            rule=data.get("rule"),
            ruleset_version=data.get("ruleset_version"),
        )

    @property
    def place_code(self) -> str | None:
        """Return the code of the most precise place found, if any."""
        return next((self.place[k] for k in PLACE_LEVELS if self.place.get(k)), None)

    @property
    def is_emergency(self) -> bool:
        """Tell whether the router saw an emergency (110/119/120/122) in the text."""
        return bool(self.emergency)

    @property
    def emergency_numbers(self) -> list[str]:
        """Return the emergency numbers the router named (empty when none or unnamed)."""
        return list((self.emergency or {}).get("numbers") or [])
