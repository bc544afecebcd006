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
from hotline.core.errors import Conflict, FieldError, InvalidState, StaleVersion
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.tickets import notices, parts, rerouting
from hotline.tickets.followup import followup_call, rate, requeue
from hotline.tickets.models import Ticket, TicketTrace
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
    if ticket.id is not None and proposal.get("trace"):
        # A new proposal for a stored ticket (a re-route) brings its own reasoning.
        db.session.merge(TicketTrace(ticket_id=ticket.id, trace=proposal["trace"]))
    view = ticket.proposal
    code = view.place_code
    if code and not ticket.org_unit_code:
        ticket.org_unit_code = code
        ticket.scope_code = code
    if view.urgent:
        ticket.urgent = True
    if proposal.get("emergency"):
        ticket.emergency = True


def department_or_error(code: str, field: str = "department") -> Department:
    """Return the active department ``code`` or refuse the field."""
    department = db.session.get(Department, code)
    if department is None or not department.active:
        raise FieldError(field, f"unknown department {code}")
    return department


_department = department_or_error


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
    assisting = p.get("assisting")
    if assisting is None and not p.get("department"):
        # Accepting the router's proposal takes its assisting departments too (协办).
        assisting = [a["code"] for a in (ticket.routing or {}).get("assisting") or []]
    if assisting:
        data["assisting"] = parts.assign_parts(ticket, assisting, now)
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
    ticket.extension_request = ticket.pending_request = ticket.pause_request = None
    ticket.paused_at = ticket.paused_until = None
    withdrawn = parts.withdraw_all(ticket, now)
    if withdrawn:
        data["withdrawn"] = withdrawn
    return data


def transfer(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    department = _department(p["department"])
    if department.code == ticket.department_code:
        raise FieldError("department", "the ticket is already with this department")
    previous = ticket.department_code
    ticket.signed_at = ticket.resolve_due = None
    ticket.extension_request = ticket.pending_request = ticket.pause_request = None
    ticket.paused_at = ticket.paused_until = None
    # The new lead cannot also assist: its part folds into the lead.
    for part in parts.open_parts(ticket):
        if part.department_code == department.code:
            part.status, part.done_at = "withdrawn", now
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


def release_reply(ticket: Ticket, now: datetime) -> None:
    """Tell the resident the result and start the follow-up window (回访)."""
    ticket.followup_due = clock().followup_due(now, settings().followup_days)
    ticket.followup_attempts = 0
    ticket.followup_result = None
    notices.followup_question(ticket)
    notices.merged_outcome(ticket)


def resolve(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    from hotline.tickets.review_policy import needs_review  # reads config: keep import light

    data = parts.check_resolvable(ticket, p, now)
    # Resolving answers the matter: a return/transfer or pause still asked for is moot.
    ticket.pending_request = ticket.pause_request = None
    ticket.reply = p["reply"]
    # The clock stops here; a reply sent back restarts it where it was.
    ticket.resolved_at = now
    review = needs_review(ticket)
    if review:
        ticket.status = "reviewing"
    else:
        ticket.status = "resolved"
        release_reply(ticket, now)
    in_time = bool(ticket.resolve_due and now <= ticket.resolve_due)
    return data | {"reply": p["reply"], "in_time": in_time, "review": review}


def answer(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    ticket.reply = p["reply"]
    ticket.resolved_at = now
    ticket.followup_due = clock().followup_due(now, settings().followup_days)
    ticket.followup_attempts = 0
    ticket.followup_result = None
    notices.merged_outcome(ticket)
    return {"reply": p["reply"]}


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
    target = _merge_root(target)
    if target.id == ticket.id or target.status in ("closed", "answered"):
        raise Conflict("into", "cannot merge into this ticket")
    # Lock both rows in id order (PostgreSQL; SQLite writes one at a time anyway), then read
    # them again: a merge that committed meanwhile shows, and two merges into each other
    # cannot both pass. Touching the target bumps its version, so even without the lock the
    # second of two crossing merges fails its version check instead of making a cycle.
    status, version = ticket.status, ticket.version
    db.session.scalars(
        select(Ticket)
        .where(Ticket.id.in_((ticket.id, target.id)))
        .order_by(Ticket.id)
        .with_for_update(of=Ticket)
        .execution_options(populate_existing=True)
    ).all()
    if (ticket.status, ticket.version) != (status, version):
        raise StaleVersion("someone else changed this ticket; reload")
    if target.status in ("merged", "closed", "answered"):
        raise Conflict("into", "cannot merge into this ticket")
    ticket.merged_into_id = target.id
    target.updated_at = now
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


def _merge_root(target: Ticket) -> Ticket:
    """Follow merged tickets to the one they ended in (a merge into a merged ticket lands there)."""
    seen = {target.id}
    while target.status == "merged" and target.merged_into is not None:
        target = target.merged_into
        if target.id in seen:  # cannot happen since merges lock; never loop regardless
            break
        seen.add(target.id)
    return target


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
    "edit": rerouting.edit,
    "recall": rerouting.recall,
    "requeue": requeue,
    "followup_call": followup_call,
    "exclude_rating": exclude_rating,
    "restore_rating": restore_rating,
}


def contribute(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Refuse a contribution outside a part: only an assisting department contributes."""
    raise InvalidState("only an assisting department contributes, on its own part")


HANDLERS["contribute"] = contribute
# The centre's rulings (requests, reply review, pauses, hidden text) build on the handlers
# above, so they live in workflow.py and join the table here, once this module is complete.
from hotline.tickets import workflow  # noqa: E402

HANDLERS.update(workflow.HANDLERS)
