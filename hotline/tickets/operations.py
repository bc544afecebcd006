"""Every write to a ticket goes through here: intake, actions, resident tracking and rating."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hotline.core.actors import RESIDENT, Actor
from hotline.core.errors import Forbidden, InvalidState, NotFound, StaleVersion
from hotline.core.extensions import db
from hotline.core.permissions import can_see
from hotline.core.timeutil import utcnow
from hotline.tickets import actions, notices, parts, rerouting, workflow
from hotline.tickets.intake import create_ticket, take_in  # noqa: F401  (callers import them here)
from hotline.tickets.models import Ticket, TicketTrace
from hotline.tickets.scope import part_of
from hotline.tickets.states import TRANSITIONS, check, check_part
from hotline.tickets.timeline import add_event

HANDLERS = actions.HANDLERS
# Actions that leave the clock paused when someone other than the lead department takes them.
KEEP_PAUSED = frozenset({"note", "urge", "supervise", "hide_text", "decide_extension"})


def reschedule(ticket: Ticket, now: datetime) -> None:
    """Let the SLA package (when installed) move the ticket's next deadline on."""
    scheduler = current_app.extensions.get("hotline_sla_scheduler")
    if scheduler is not None:
        scheduler(ticket, now)


def traces(ticket_ids: list[int]) -> dict[int, list[Any]]:
    """Return the router's trace of each of these tickets that has one, in one query."""
    if not ticket_ids:
        return {}
    rows = db.session.execute(
        select(TicketTrace.ticket_id, TicketTrace.trace).where(
            TicketTrace.ticket_id.in_(ticket_ids)
        )
    )
    return {ticket_id: trace for ticket_id, trace in rows}


def get_ticket(number: str, actor: Actor) -> Ticket:
    """Return the ticket ``number`` if ``actor`` may see it, else 404."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None or not can_see(actor, ticket):
        raise NotFound()
    return ticket


def apply_action(
    number: str, payload: dict[str, Any], actor: Actor, now: datetime | None = None
) -> Ticket:
    """Apply one action to a ticket as ``actor``; refuse with nothing changed if not allowed."""
    now = now or utcnow()
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None or not can_see(actor, ticket):
        # Out of scope: a write is refused as forbidden, but only for tickets that exist.
        if ticket is not None:
            raise Forbidden("this ticket is outside your scope")
        raise NotFound()
    action = payload["action"]
    part = None
    if actor.department_code and actor.department_code != ticket.department_code:
        part = part_of(actor, ticket)  # an assisting department acts on its own part
    if part is not None:
        check_part(action, part.status, ticket.status)
    else:
        transition = check(action, ticket.status, actor.role)
    expected = payload.get("version")
    if expected is not None and expected != ticket.version:
        raise StaleVersion(f"the ticket changed (version {ticket.version})")
    try:
        if part is not None:
            _act_on_part(ticket, part, payload, actor, now)
        else:
            _act(ticket, transition, payload, actor, now)
        db.session.commit()
    except StaleDataError:
        # Another request updated the ticket between our read and our write (any flush).
        db.session.rollback()
        raise StaleVersion("someone else changed this ticket; reload") from None
    return ticket


def _act(ticket: Ticket, transition: Any, payload: dict[str, Any], actor: Actor, now: datetime):
    """Apply a ticket-level action (or, for a request role, record the request)."""
    action = payload["action"]
    before = ticket.status
    if (
        ticket.paused_at
        and action != "request_pause"
        and (actor.department_code == ticket.department_code or action not in KEEP_PAUSED)
    ):
        # An action on a paused ticket restarts its clock (挂起 ends early).
        resumed = workflow.resume(ticket, now)
        add_event(ticket, "resume", actor, resumed, before, before, now)
    if actor.role in transition.request_roles:
        data = workflow.request_change(action, ticket, payload, actor, now)
        add_event(ticket, f"{action}_request", actor, data, before, before, now)
    else:
        data = HANDLERS[action](ticket, payload, actor, now)
        after = transition.target or ticket.status
        if after not in {before, transition.target, *transition.outcomes}:
            raise InvalidState(f"{action} cannot lead to {after}")
        ticket.status = after
        # The resident hears of a reply only once the centre passed it (办结审核).
        public = transition.public and after != "reviewing"
        public = public and not (action == "review_reply" and after == "accepted")
        add_event(ticket, action, actor, data, before, after, now, public=public)
        rerouting.after_action(ticket, action, now)
        if after != before:
            notices.status_changed(ticket, after)
    ticket.updated_at = now
    # Requests, pauses and parts move clocks the clock fields do not show: always reschedule.
    reschedule(ticket, now)


def _act_on_part(ticket: Ticket, part: Any, payload: dict[str, Any], actor: Actor, now: datetime):
    """Apply an assisting department's action to its part; the ticket's state stays."""
    action = payload["action"]
    target = check_part(action, part.status, ticket.status).target
    data = parts.act_on_part(part, action, payload, actor, now)
    if target:
        data |= {"from_part_status": part.status, "part_status": target}
        part.status = target
    reschedule(ticket, now)
    ticket.updated_at = now
    add_event(ticket, f"part_{action}", actor, data, ticket.status, ticket.status, now)


def track(number: str, phone: str) -> Ticket:
    """Return the ticket for a resident who knows its number and phone, else 404 alike."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None or ticket.phone != phone:
        raise NotFound()
    return ticket


def rate_as_resident(
    number: str, phone: str, rating: str, comment: str | None, reopen: bool = False
) -> Ticket:
    """Let the resident rate the result; an unsatisfied rating with a reason may reopen it."""
    track(number, phone)
    ticket = apply_action(
        number, {"action": "rate", "rating": rating, "comment": comment}, RESIDENT
    )
    if not (reopen and rating == "unsatisfied"):
        return ticket
    reason = comment or "市民不满意，申请重办"
    if ticket.department is not None and ticket.status in TRANSITIONS["reopen"].sources:
        return apply_action(number, {"action": "reopen", "reason": reason}, RESIDENT)
    if ticket.status in TRANSITIONS["requeue"].sources:
        # Answered on the spot: back to the operators, who answer again or dispatch.
        return apply_action(number, {"action": "requeue", "reason": reason}, RESIDENT)
    return ticket
