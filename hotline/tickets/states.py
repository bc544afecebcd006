"""The ticket state machine: one table saying which action may happen in which state, by whom."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.errors import Forbidden, InvalidState, UnknownAction
from hotline.core.permissions import SUPERUSERS
from hotline.core.vocabulary import OPEN_STATUSES

ANY_OPEN = frozenset(OPEN_STATUSES)


@dataclass(frozen=True)
class Transition:
    """An action's allowed source states, its target state (None: unchanged) and who may act."""

    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    public: bool = False


def _t(
    sources: set[str] | frozenset[str], target: str | None, roles: set[str], public: bool = False
) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles | SUPERUSERS), public)


# Admins may do everything; residents act only through the public rate/track paths.
TRANSITIONS: dict[str, Transition] = {
    "dispatch": _t({"received", "returned"}, "dispatched", {"operator"}, public=True),
    "sign": _t({"dispatched"}, "accepted", {"agent"}, public=True),
    "return": _t({"dispatched", "accepted"}, "returned", {"agent"}),
    "transfer": _t({"dispatched", "accepted"}, "dispatched", {"operator", "agent"}, public=True),
    "note": _t(ANY_OPEN, None, {"operator", "agent", "supervisor"}),
    "request_extension": _t({"accepted"}, None, {"agent"}),
    "decide_extension": _t({"accepted"}, None, {"supervisor"}),
    "resolve": _t({"accepted"}, "resolved", {"agent"}, public=True),
    "answer": _t({"received", "returned"}, "answered", {"operator"}, public=True),
    "rate": _t({"resolved", "answered"}, None, {"operator", "resident"}, public=True),
    "reopen": _t(
        {"resolved", "closed"}, "dispatched", {"operator", "supervisor", "resident"}, public=True
    ),
    "close": _t({"resolved", "answered"}, "closed", {"operator", "system"}, public=True),
    "merge": _t({"received", "returned", "dispatched"}, "merged", {"operator"}, public=True),
    "urge": _t({"dispatched", "accepted"}, None, {"operator", "supervisor"}),
    "supervise": _t({"dispatched", "accepted"}, None, {"supervisor"}),
    # The operator flags (or unflags) a ticket as urgent; a running clock shortens to the urgent limit.
    "mark_urgent": _t({"received", "returned", "dispatched", "accepted"}, None, {"operator"}),
    # A supervisor takes an unreasonable claim's rating out of the figures (不合理诉求), or back.
    "exclude_rating": _t({"resolved", "answered", "closed"}, None, {"supervisor"}),
    "restore_rating": _t({"resolved", "answered", "closed"}, None, {"supervisor"}),
}

ACTIONS = tuple(TRANSITIONS)
# Events written by the system rather than by an action request.
SYSTEM_EVENTS = ("create", "route", "resident_note", "warning", "overdue", "escalate", "notify")
PUBLIC_SYSTEM_EVENTS = frozenset({"create"})


def check(action: str, status: str, role: str) -> Transition:
    """Return the transition for ``action`` from ``status`` by ``role``, or raise.

    A refusal here carries reason "role" or "state": the table said no, not the data.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise UnknownAction(action)
    if role not in transition.roles:
        raise Forbidden(f"a {role} may not {action}", reason="role")
    if status not in transition.sources:
        raise InvalidState(f"cannot {action} a ticket that is {status}", reason="state")
    return transition


def allowed_actions(status: str, role: str) -> list[str]:
    """List the actions ``role`` may take on a ticket in ``status``."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources and (role in t.roles)]
