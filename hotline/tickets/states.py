"""The ticket state machine: one table saying which action may happen in which state, by whom."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.errors import Forbidden, InvalidState, UnknownAction
from hotline.core.permissions import SUPERUSERS
from hotline.core.vocabulary import OPEN_STATUSES

ANY_OPEN = frozenset(OPEN_STATUSES)
# A department is at work: the states whose clocks a pause or a ruling concerns.
AT_WORK = frozenset({"dispatched", "accepted"})


@dataclass(frozen=True)
class Transition:
    """An action's allowed source states, its target state (None: unchanged) and who may act.

    ``outcomes``: the states the handler may choose between (the reply review says where a
    resolve goes); ``request_roles``: roles whose action only asks the centre (派单异议审核).
    """

    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    public: bool = False
    outcomes: frozenset[str] = frozenset()
    request_roles: frozenset[str] = frozenset()


def _t(
    sources: set[str] | frozenset[str],
    target: str | None,
    roles: set[str],
    public: bool = False,
    outcomes: set[str] | None = None,
    request_roles: set[str] | None = None,
) -> Transition:
    return Transition(
        frozenset(sources),
        target,
        frozenset(roles | SUPERUSERS),
        public,
        frozenset(outcomes or ()),
        frozenset(request_roles or ()),
    )


# Admins may do everything; residents act only through the public rate/track paths.
TRANSITIONS: dict[str, Transition] = {
    # The system dispatches for a rule the centre trusts (auto-dispatch).
    "dispatch": _t({"received", "returned"}, "dispatched", {"operator", "system"}, public=True),
    "sign": _t({"dispatched"}, "accepted", {"agent"}, public=True),
    # An agent's return or transfer is a request the centre rules on; nothing moves until then.
    "return": _t(AT_WORK, "returned", {"agent"}, request_roles={"agent"}),
    "transfer": _t(
        AT_WORK, "dispatched", {"operator", "agent"}, public=True, request_roles={"agent"}
    ),
    # Approve: returned / re-dispatched as asked; refuse: unchanged, the clock runs on.
    "review_request": _t(
        AT_WORK, None, {"operator", "supervisor"}, outcomes={"returned", "dispatched"}
    ),
    "note": _t(ANY_OPEN, None, {"operator", "agent", "supervisor"}),
    "request_extension": _t({"accepted"}, None, {"agent"}),
    "decide_extension": _t({"accepted"}, None, {"supervisor"}),
    # With reply review on (review.yaml) the reply waits for the centre in ``reviewing``.
    "resolve": _t({"accepted"}, None, {"agent"}, public=True, outcomes={"resolved", "reviewing"}),
    "review_reply": _t(
        {"reviewing"},
        None,
        {"operator", "supervisor"},
        public=True,
        outcomes={"resolved", "accepted"},
    ),  # fmt: skip
    "request_pause": _t(AT_WORK, None, {"agent"}),
    "decide_pause": _t(AT_WORK, None, {"supervisor"}),
    # An assisting department's contribution: only on its own part (PART_TRANSITIONS).
    "contribute": _t(set(), None, {"agent"}),
    # The centre blacks out identifying passages for departments (保密).
    "hide_text": _t(ANY_OPEN | {"answered", "closed"}, None, {"operator"}),
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
    # Correct the description or place; an undispatched ticket is then routed again.
    "edit": _t({"received", "returned", "dispatched", "accepted"}, None, {"operator"}),
    # Pull a dispatched ticket (an auto-dispatched one above all) back before it is signed.
    "recall": _t({"dispatched"}, "received", {"operator"}, public=True),
    # An unsatisfied result goes back to the operators' queue, to answer again or dispatch.
    "requeue": _t(
        {"answered", "resolved"}, "received", {"operator", "supervisor", "resident"}, public=True
    ),
    # A follow-up (回访) call; the third not reached, or a refusal, closes the ticket (handler).
    "followup_call": _t({"answered", "resolved"}, None, {"operator"}, outcomes={"closed"}),
    # A supervisor takes an unreasonable claim's rating out of the figures (不合理诉求), or back.
    "exclude_rating": _t({"resolved", "answered", "closed"}, None, {"supervisor"}),
    "restore_rating": _t({"resolved", "answered", "closed"}, None, {"supervisor"}),
}

ACTIONS = tuple(TRANSITIONS)


@dataclass(frozen=True)
class PartTransition:
    """What an assisting department may do on its own part: from which part states, to which."""

    sources: frozenset[str]
    target: str | None


# The ticket states in which an assisting part can still be worked on.
PART_TICKET_STATES = frozenset({"dispatched", "accepted", "reviewing"})
PART_TRANSITIONS: dict[str, PartTransition] = {
    "sign": PartTransition(frozenset({"dispatched"}), "accepted"),
    "note": PartTransition(frozenset({"dispatched", "accepted", "contributed"}), None),
    "contribute": PartTransition(frozenset({"accepted"}), "contributed"),
}
# Events written by the system rather than by an action request.
SYSTEM_EVENTS: tuple[str, ...] = (
    "create", "route", "resident_note", "warning", "overdue", "escalate", "notify", "resume",
)  # fmt: skip
SYSTEM_EVENTS += ("reroute",)  # a new proposal after the facts changed
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


def check_part(action: str, part_status: str, ticket_status: str) -> PartTransition:
    """Return the part transition for ``action`` by an assisting department, or raise."""
    transition = PART_TRANSITIONS.get(action)
    if transition is None:
        raise Forbidden(f"an assisting department may not {action}", reason="role")
    if ticket_status not in PART_TICKET_STATES or part_status not in transition.sources:
        raise InvalidState(f"cannot {action} a part that is {part_status}", reason="state")
    return transition


def allowed_part_actions(part_status: str, ticket_status: str) -> list[str]:
    """List the actions an assisting department may take on its part now."""
    if ticket_status not in PART_TICKET_STATES:
        return []
    return [name for name, t in PART_TRANSITIONS.items() if part_status in t.sources]
