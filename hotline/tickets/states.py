"""The ticket state machine: one table saying which action may happen in which state, by whom."""

from __future__ import annotations

from dataclasses import dataclass

ANY_OPEN = frozenset({"received", "dispatched", "accepted", "returned", "resolved"})


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
    return Transition(frozenset(sources), target, frozenset(roles | {"admin"}), public)


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
    # A merged ticket's resident rates the main ticket's result on their own ticket.
    "rate": _t({"resolved", "answered", "merged"}, None, {"operator", "resident"}, public=True),
    "reopen": _t(
        {"resolved", "closed"}, "dispatched", {"operator", "supervisor", "resident"}, public=True
    ),
    "close": _t({"resolved", "answered"}, "closed", {"operator", "system"}, public=True),
    "merge": _t({"received", "returned", "dispatched"}, "merged", {"operator"}, public=True),
    "urge": _t({"dispatched", "accepted"}, None, {"operator", "supervisor"}),
    "supervise": _t({"dispatched", "accepted"}, None, {"supervisor"}),
    # The operator flags (or unflags) a ticket as urgent; a running clock shortens to the urgent limit.
    "mark_urgent": _t({"received", "returned", "dispatched", "accepted"}, None, {"operator"}),
    # An unsatisfied result goes back to the operators' queue, to answer again or dispatch.
    "requeue": _t(
        {"answered", "resolved"}, "received", {"operator", "supervisor", "resident"}, public=True
    ),
    # A follow-up (回访) call; the third not reached, or a refusal, closes the ticket (handler).
    "followup_call": _t({"answered", "resolved"}, None, {"operator"}),
}

ACTIONS = tuple(TRANSITIONS)
# Events written by the system rather than by an action request.
SYSTEM_EVENTS = ("create", "route", "resident_note", "warning", "overdue", "escalate", "notify")
PUBLIC_SYSTEM_EVENTS = frozenset({"create"})


class TransitionError(Exception):
    """An action that the ticket's state (or the actor's role) does not allow."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check(action: str, status: str, role: str) -> Transition:
    """Return the transition for ``action`` from ``status`` by ``role``, or raise."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError("unknown_action", f"unknown action {action!r}")
    if role not in transition.roles:
        raise TransitionError("forbidden", f"a {role} may not {action}")
    if status not in transition.sources:
        raise TransitionError("invalid_state", f"cannot {action} a ticket that is {status}")
    return transition


def allowed_actions(status: str, role: str) -> list[str]:
    """List the actions ``role`` may take on a ticket in ``status``."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources and (role in t.roles)]
