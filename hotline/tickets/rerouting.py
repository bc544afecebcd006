"""Changed facts: operators edit the description and place, new words re-route the ticket.

A ticket not yet dispatched (``received`` or ``returned``) gets a fresh proposal whenever its
facts change: an operator's edit, an operator's note (a call-back), a resident's follow-up SMS.
The new proposal is an event of its own, naming what it replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from hotline.core.actors import SYSTEM, Actor
from hotline.core.errors import FieldError
from hotline.core.extensions import db
from hotline.org.models import OrgUnit
from hotline.tickets.models import Ticket, TicketEvent

# The actor auto-dispatch acts as (hotline.routing.autodispatch).
AUTO_ACTOR = "system/auto-dispatch"
UNDISPATCHED = ("received", "returned")
# Actions whose words or facts may change the proposal.
REROUTE_AFTER = ("edit", "note")
EDITABLE = ("description", "address")


def edit(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Correct the description and/or place; each changed field is kept as from/to."""
    changes: dict[str, dict[str, Any]] = {}
    for name in EDITABLE:
        value = p.get(name)
        if value is not None and value != (getattr(ticket, name) or ""):
            changes[name] = {"from": getattr(ticket, name), "to": value or None}
            setattr(ticket, name, value or None)
    if "description" in changes and not ticket.description:
        raise FieldError("description", "the description cannot be emptied")
    code = p.get("community_code")
    unit = ticket.org_unit_code
    if code and code != ticket.org_unit_code:
        if db.session.get(OrgUnit, code) is None:
            raise FieldError("community_code", f"unknown org unit code {code}")
        unit = code
    elif "address" in changes and ticket.status in UNDISPATCHED:
        unit = None  # the place was read from the old address: read it again from the new one
    if unit != ticket.org_unit_code:
        changes["org_unit"] = {"from": ticket.org_unit_code, "to": unit}
        ticket.org_unit_code = unit
        if ticket.department_code is None:
            ticket.scope_code = unit or current_app.config["HOTLINE"].city
    if not changes:
        raise FieldError("description", "nothing changed: give a new description or place")
    return {"changes": changes, "reason": p["reason"]}


def recall(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Pull a dispatched ticket (an auto-dispatched one above all) back before it is signed."""
    from hotline.tickets.actions import return_

    last = db.session.scalar(
        select(TicketEvent.actor)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(("dispatch", "transfer")))
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    data = return_(ticket, p, actor, now)
    data["auto"] = last == AUTO_ACTOR
    return data


def routing_text(ticket: Ticket) -> str:
    """Return the words the router reads: the description, then the notes added since."""
    notes = db.session.execute(
        select(TicketEvent.data)
        .where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(("note", "resident_note"))
        )
        .order_by(TicketEvent.id)
    ).scalars()
    texts = [n.get("text") for n in notes if n and n.get("text") and not n.get("merged")]
    return "。".join([ticket.description, *texts])


def _summary(proposal: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": proposal.get("rule"),
        "function": proposal.get("function"),
        "department": (proposal.get("department") or {}).get("code"),
        "place": proposal.get("place"),
    }


def reroute(ticket: Ticket, cause: str, now: datetime) -> dict[str, Any] | None:
    """Recompute the proposal of an undispatched ticket; record it when it changed."""
    if ticket.status not in UNDISPATCHED:
        return None
    router = current_app.extensions.get("hotline_router")
    if router is None:
        return None
    proposal = router.propose(ticket, text=routing_text(ticket))
    if proposal is None:
        return None
    previous = _summary(ticket.routing or {})
    if _summary(proposal) == previous:
        return None
    from hotline.tickets.actions import apply_proposal
    from hotline.tickets.timeline import add_event

    apply_proposal(ticket, proposal, now)
    if ticket.department_code is None and ticket.org_unit_code:
        ticket.scope_code = ticket.org_unit_code
    data = {**proposal, "cause": cause, "previous": previous}
    add_event(ticket, "reroute", SYSTEM, data, ticket.status, ticket.status, now)
    return proposal


def after_action(ticket: Ticket, action: str, now: datetime) -> None:
    """Re-route after an action that brought new facts (the caller commits)."""
    if action in REROUTE_AFTER:
        reroute(ticket, action, now)
