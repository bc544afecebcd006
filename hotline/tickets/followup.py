"""Follow-up (回访) handlers: ratings (a merged resident's too), calls, taking a result back.

Like tickets.actions, each handler checks the data and changes the ticket; the state machine
has already allowed the action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.core.actors import Actor
from hotline.core.errors import InvalidState
from hotline.core.vocabulary import FOLLOWUP_MAX_ATTEMPTS
from hotline.tickets.models import Ticket
from hotline.tickets.timeline import add_event


def merged_can_rate(ticket: Ticket) -> bool:
    """Tell whether a merged ticket's resident may rate the main ticket's current result."""
    main = ticket.merged_into
    if ticket.status != "merged" or main is None or main.resolved_at is None:
        return False
    if main.status not in ("resolved", "answered", "closed"):
        return False
    return ticket.rated_at is None or ticket.rated_at < main.resolved_at


def rate(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    if ticket.status == "merged":
        if not merged_can_rate(ticket):
            raise InvalidState("the main ticket has no result to rate yet", reason="no_result")
    elif not ticket.awaiting_rating:
        raise InvalidState("this result has already been rated", reason="already_rated")
    ticket.rating = p["rating"]
    ticket.rated_at = now
    ticket.rating_comment = p.get("comment")
    ticket.rated_by = actor.label
    ticket.followup_result = None
    data: dict[str, Any] = {"rating": p["rating"], "comment": p.get("comment"), "by": actor.label}
    if actor.role == "operator":
        data["channel"] = "phone"  # the operator took it on a follow-up call
    if p["rating"] == "unsatisfied" and ticket.status != "merged":
        # Not closed by the follow-up window: it waits in the operators' unsatisfied worklist.
        ticket.followup_due = None
    if ticket.status == "merged" and ticket.merged_into is not None:
        _note_merged_rating(ticket, data, actor, now)
    return data


def _note_merged_rating(ticket: Ticket, data: dict[str, Any], actor: Actor, now: datetime) -> None:
    main = ticket.merged_into
    assert main is not None
    note = {"text": f"合并工单 {ticket.number} 的市民评价", "merged": ticket.number, **data}
    add_event(main, "note", actor, note, main.status, main.status, now)


def requeue(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    data = {"reason": p["reason"], "department": ticket.department_code}
    ticket.resolved_at = ticket.followup_due = None
    ticket.followup_attempts = 0
    ticket.followup_result = None
    if ticket.department is not None:
        from hotline.tickets.actions import return_  # the department lets go, as in a return

        return_(ticket, {"reason": p["reason"]}, actor, now)
    return data


def followup_call(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    if not ticket.awaiting_rating:
        raise InvalidState("this result has already been rated", reason="already_rated")
    outcome = p["outcome"]
    data: dict[str, Any] = {"outcome": outcome, "note": p.get("note")}
    if outcome == "not_reached":
        ticket.followup_attempts += 1
        data["attempt"] = ticket.followup_attempts
    if outcome == "refused" or ticket.followup_attempts >= FOLLOWUP_MAX_ATTEMPTS:
        ticket.followup_result = "refused" if outcome == "refused" else "unreachable"
        ticket.status = "closed"
        ticket.closed_at = now
        ticket.followup_due = None
        data["result"] = ticket.followup_result
    return data
