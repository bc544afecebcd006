"""One handler per ticket action: check the fields against the world, change the ticket.

The state machine (tickets.states) has already said the action is allowed; a handler only
refuses what depends on the data (an unknown department, no pending extension…).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.context import clock, settings
from hotline.core.errors import Conflict, FieldError, InvalidState
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.tickets import notices
from hotline.tickets.models import Ticket
from hotline.tickets.timeline import add_event

Handler = Callable[[Ticket, dict[str, Any], Actor, datetime], dict[str, Any]]
# The fields that start, stop or move a clock: when one changes, the SLA schedule follows.
CLOCK_FIELDS = (
    "status",
    "dispatched_at",
    "signed_at",
    "resolved_at",
    "closed_at",
    "sign_due",
    "resolve_due",
    "followup_due",
)


def clocks_of(ticket: Ticket) -> tuple[Any, ...]:
    """Return the values of the clock fields, to tell whether an action moved a clock."""
    return tuple(getattr(ticket, name) for name in CLOCK_FIELDS)


def reset_clocks(ticket: Ticket) -> None:
    """Forget warnings and escalation when a new department takes the ticket."""
    ticket.escalation_level = None
    ticket.escalation_count = 0


def apply_proposal(ticket: Ticket, proposal: dict[str, Any], now: datetime) -> None:
    """Attach the router's proposal (without its trace): the place it found, the urgency seen."""
    ticket.routing = {k: v for k, v in proposal.items() if k != "trace"}
    code = ticket.proposal.place_code
    if code and not ticket.org_unit_code:
        ticket.org_unit_code = code
        ticket.scope_code = code
    if ticket.proposal.urgent:
        ticket.urgent = True


def _department(code: str, field: str = "department") -> Department:
    department = db.session.get(Department, code)
    if department is None or not department.active:
        raise FieldError(field, f"unknown department {code}")
    return department


def _assign(ticket: Ticket, department: Department, now: datetime) -> None:
    ticket.department_code = department.code
    ticket.department = department
    ticket.scope_code = department.org_unit_code
    ticket.dispatched_at = now
    reset_clocks(ticket)
    ticket.sign_due = clock().sign_due(now, ticket.type, ticket.urgent)
    notices.department_dispatched(ticket, now)


def dispatch(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    proposal = ticket.proposal
    proposed = proposal.department_code
    if not p.get("department") and not proposed:
        raise FieldError("department", "no routing proposal to accept: name a department")
    department = _department(str(p.get("department") or proposed))
    _assign(ticket, department, now)
    data: dict[str, Any] = {"department": department.code, "department_name": department.name}
    if proposed:
        data["proposed"] = proposed
        data["rule"] = proposal.rule
        data["ruleset_version"] = proposal.ruleset_version
        data["override"] = proposed != department.code
    if p.get("reason"):
        data["reason"] = p["reason"]
    return data


def sign(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.signed_at = now
    ticket.resolve_due = clock().resolve_due(now, ticket.type, ticket.urgent)
    return {"in_time": bool(ticket.sign_due and now <= ticket.sign_due)}


def return_(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    data = {"reason": p["reason"], "department": ticket.department_code}
    ticket.department_code = None
    ticket.department = None
    ticket.scope_code = ticket.org_unit_code or settings().city
    reset_clocks(ticket)
    ticket.dispatched_at = None
    ticket.sign_due = ticket.signed_at = ticket.resolve_due = None
    ticket.extension_request = None
    return data


def transfer(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    department = _department(p["department"])
    if department.code == ticket.department_code:
        raise FieldError("department", "the ticket is already with this department")
    previous = ticket.department_code
    ticket.signed_at = ticket.resolve_due = None
    ticket.extension_request = None
    _assign(ticket, department, now)
    return {"from_department": previous, "department": department.code, "reason": p["reason"]}


def note(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    return {"text": p["text"]}


def request_extension(
    ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    if ticket.extension_request:
        raise InvalidState("an extension request is already pending", reason="extension_pending")
    ticket.extension_request = {"days": p["days"], "reason": p["reason"], "by": actor.label}
    return {"days": p["days"], "reason": p["reason"]}


def decide_extension(
    ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    pending = ticket.extension_request
    if not pending:
        raise InvalidState("there is no pending extension request", reason="no_pending_extension")
    data: dict[str, Any] = {
        "approve": p["approve"],
        "days": pending["days"],
        "reason": p.get("reason"),
    }
    if p["approve"] and ticket.resolve_due is not None:
        ticket.resolve_due = clock().extend(ticket.resolve_due, int(pending["days"]))
        data["resolve_due"] = ticket.resolve_due.isoformat()
    ticket.extension_request = None
    return data


def resolve(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.reply = p["reply"]
    ticket.resolved_at = now
    ticket.followup_due = clock().followup_due(now, settings().followup_days)
    notices.followup_question(ticket)
    return {"reply": p["reply"], "in_time": bool(ticket.resolve_due and now <= ticket.resolve_due)}


def answer(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.reply = p["reply"]
    ticket.resolved_at = now
    ticket.followup_due = clock().followup_due(now, settings().followup_days)
    return {"reply": p["reply"]}


def rate(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    if not ticket.awaiting_rating:
        raise InvalidState("this result has already been rated", reason="already_rated")
    ticket.rating = p["rating"]
    ticket.rated_at = now
    ticket.rating_comment = p.get("comment")
    return {"rating": p["rating"], "comment": p.get("comment")}


def exclude_rating(
    ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    if ticket.rating is None:
        raise InvalidState("only a rated ticket's rating can be excluded", reason="not_rated")
    if ticket.rating_excluded:
        raise InvalidState("this rating is already excluded", reason="rating_excluded")
    ticket.rating_excluded = True
    return {"reason": p["reason"], "rating": ticket.rating}


def restore_rating(
    ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    if not ticket.rating_excluded:
        raise InvalidState("this rating is not excluded", reason="rating_not_excluded")
    ticket.rating_excluded = False
    return {"reason": p["reason"], "rating": ticket.rating}


def reopen(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    if ticket.department is None:
        raise InvalidState(
            "only a ticket a department handled can be reopened", reason="never_handled"
        )
    ticket.resolved_at = ticket.closed_at = ticket.followup_due = None
    ticket.signed_at = ticket.resolve_due = None
    _assign(ticket, ticket.department, now)
    return {"reason": p["reason"], "department": ticket.department_code}


def close(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.closed_at = now
    ticket.followup_due = None
    return {"rated": ticket.rating is not None}


def merge(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    target = db.session.scalar(select(Ticket).where(Ticket.number == p["into"]))
    if target is None:
        raise FieldError("into", f"unknown ticket {p['into']}")
    if target.id == ticket.id or target.status in ("merged", "closed", "answered"):
        raise Conflict("into", "cannot merge into this ticket")
    ticket.merged_into_id = target.id
    reset_clocks(ticket)
    ticket.sla_next_at = None
    add_event(
        target,
        "note",
        actor,
        {"text": f"合并工单 {ticket.number}", "merged": ticket.number},
        target.status,
        target.status,
        now,
    )
    return {"into": target.number}


def urge(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    notices.department_urged(ticket, "urge", p.get("text"), now)
    return {"text": p.get("text")}


def supervise(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    notices.department_urged(ticket, "supervise", p.get("text"), now)
    return {"text": p.get("text"), "level": actor.org_unit_code}


def mark_urgent(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.urgent = bool(p.get("urgent", True))
    data: dict[str, Any] = {"urgent": ticket.urgent, "reason": p.get("reason")}
    if ticket.urgent:
        # The running clock shortens to the urgent limit from now (never lengthens).
        the_clock = clock()
        if ticket.status == "dispatched" and ticket.sign_due:
            ticket.sign_due = min(ticket.sign_due, the_clock.sign_due(now, ticket.type, True))
            data["sign_due"] = ticket.sign_due.isoformat()
        elif ticket.status == "accepted" and ticket.resolve_due:
            ticket.resolve_due = min(
                ticket.resolve_due, the_clock.resolve_due(now, ticket.type, True)
            )
            data["resolve_due"] = ticket.resolve_due.isoformat()
    return data


HANDLERS: dict[str, Handler] = {
    "dispatch": dispatch,
    "sign": sign,
    "return": return_,
    "transfer": transfer,
    "note": note,
    "request_extension": request_extension,
    "decide_extension": decide_extension,
    "resolve": resolve,
    "answer": answer,
    "rate": rate,
    "reopen": reopen,
    "close": close,
    "merge": merge,
    "urge": urge,
    "supervise": supervise,
    "mark_urgent": mark_urgent,
    "exclude_rating": exclude_rating,
    "restore_rating": restore_rating,
}
