"""Domain refusals: what went wrong, as a code; each edge (API, web, Open311, SMS) words it.

Nothing here knows HTTP. ``reason`` names the specific refusal (``extension_pending``…) so an
edge can say it in the user's language without matching English message text.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal by the domain: nothing was changed."""

    code = "error"

    def __init__(
        self, message: str, fields: dict[str, Any] | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
        self.reason = reason


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does."""

    code = "not_found"

    def __init__(self, what: str = "ticket", message: str | None = None) -> None:
        super().__init__(message or f"{what} not found")


class Forbidden(DomainError):
    """The actor may not do this."""

    code = "forbidden"


class InvalidState(DomainError):
    """The thing is not in a state that allows this."""

    code = "invalid_state"


class StaleVersion(DomainError):
    """Someone else changed the thing since the actor read it."""

    code = "stale_version"


class FieldError(DomainError):
    """One input field names something the domain refuses."""

    code = "invalid"

    def __init__(self, field: str, message: str, reason: str | None = None) -> None:
        super().__init__(message, {field: [message]}, reason)
        self.field = field


class Conflict(FieldError):
    """One input field clashes with what exists (a taken name, a ticket that cannot merge)."""

    code = "conflict"


class UnknownAction(FieldError):
    """The action named is not one the state table knows."""

    code = "unknown_action"

    def __init__(self, action: str) -> None:
        super().__init__("action", f"unknown action {action!r}")


class InvalidInput(DomainError):
    """The input is malformed in a way no single field explains."""

    code = "invalid_input"
