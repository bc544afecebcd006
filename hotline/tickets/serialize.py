"""Turn tickets into the JSON the API returns, for staff and for residents."""

from __future__ import annotations

from typing import Any

from flask import current_app

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.core.permissions import sees_full_phone, sees_identity
from hotline.core.phones import mask
from hotline.core.timeutil import isoformat, to_local
from hotline.tickets.models import Ticket, TicketEvent, TicketTrace
from hotline.tickets.parts import parts_json
from hotline.tickets.scope import part_of
from hotline.tickets.states import allowed_actions, allowed_part_actions
from hotline.tickets.workflow import redact


def _t(value: Any) -> str | None:
    return isoformat(value, settings().timezone)


def _redacted(value: Any, ticket: Ticket) -> Any:
    if isinstance(value, str):
        return redact(value, ticket)
    if isinstance(value, dict):
        return {k: _redacted(v, ticket) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, ticket) for v in value]
    return value


def event_json(event: TicketEvent, ticket: Ticket | None = None) -> dict[str, Any]:
    """Return one timeline entry (passages hidden from departments blacked out)."""
    data = event.data or {}
    return {
        "action": event.action,
        "actor": event.actor,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": _t(event.at),
        "data": _redacted(data, ticket) if ticket is not None else data,
    }


def phone_for(actor: Actor, ticket: Ticket) -> str:
    """Return the resident's number as this actor may see it (fully masked when 保密)."""
    if not sees_identity(actor, ticket):
        return "*" * len(ticket.phone)
    return ticket.phone if sees_full_phone(actor, ticket) else mask(ticket.phone)


def text_for(actor: Actor, ticket: Ticket, text: str | None) -> str | None:
    """Return a text of the ticket as this actor may read it (marked passages hidden)."""
    return text if actor.is_centre else redact(text, ticket)


def paused_until(ticket: Ticket) -> str | None:
    """Return the local date the paused clock restarts, YYYY-MM-DD."""
    local = to_local(ticket.paused_until, settings().timezone)
    return local.date().isoformat() if local else None


def unit_json(unit: Any) -> dict[str, Any] | None:
    """Return {code, name, level} of an org unit."""
    return None if unit is None else {"code": unit.code, "name": unit.name, "level": unit.level}


def department_json(dept: Any) -> dict[str, Any] | None:
    """Return {code, name, function, level} of a department."""
    if dept is None:
        return None
    return {"code": dept.code, "name": dept.name, "function": dept.function, "level": dept.level}


def ticket_summary(ticket: Ticket, actor: Actor) -> dict[str, Any]:
    """Return the list view of a ticket (no timeline)."""
    return {
        "number": ticket.number,
        "status": ticket.status,
        "type": ticket.type,
        "urgent": ticket.urgent,
        "channel": ticket.channel,
        "description": text_for(actor, ticket, ticket.description),
        "address": text_for(actor, ticket, ticket.address),
        "phone": phone_for(actor, ticket),
        "name": ticket.name if sees_identity(actor, ticket) else None,
        "confidential": ticket.confidential,
        "org_unit": unit_json(ticket.org_unit),
        "department": department_json(ticket.department),
        "sign_due": _t(ticket.sign_due),
        "resolve_due": _t(ticket.resolve_due),
        "followup_due": _t(ticket.followup_due),
        "escalation_level": ticket.escalation_level,
        "paused_until": paused_until(ticket),
        "pending_request": ticket.pending_request,
        "created_at": _t(ticket.created_at),
        "updated_at": _t(ticket.updated_at),
        "version": ticket.version,
    }


def ticket_actions(ticket: Ticket, actor: Actor) -> list[str]:
    """List the actions ``actor`` may take on ``ticket`` now (an assisting part's, if theirs)."""
    part = part_of(actor, ticket) if actor.department_code != ticket.department_code else None
    if part is not None:
        return allowed_part_actions(part.status, ticket.status)
    allowed = allowed_actions(ticket.status, actor.role)
    if not actor.is_reviewer:
        allowed = [a for a in allowed if a not in ("review_request", "review_reply")]
    return allowed


def ticket_json(ticket: Ticket, actor: Actor) -> dict[str, Any]:
    """Return the full staff view of a ticket with its timeline."""
    data = ticket_summary(ticket, actor)
    allowed = ticket_actions(ticket, actor)
    data.update(
        {
            "routing": routing_with_trace(ticket),
            "parts": parts_json(ticket),
            "pause_request": ticket.pause_request,
            "paused_at": _t(ticket.paused_at),
            "pause_count": ticket.pause_count,
            "hidden_texts": ticket.hidden_texts if actor.is_centre else None,
            "reply": ticket.reply,
            "rating": ticket.rating,
            "rating_comment": ticket.rating_comment,
            "rated_by": ticket.rated_by,
            "followup_attempts": ticket.followup_attempts,
            "followup_result": ticket.followup_result,
            "extension_request": ticket.extension_request,
            "merged_into": ticket.merged_into.number if ticket.merged_into else None,
            "allowed_actions": allowed,
            "events": [event_json(e, ticket) for e in ticket.events],
            "attachments": _attachments(ticket),
            "media_url": ticket.media_url,
            "latitude": ticket.latitude,
            "longitude": ticket.longitude,
        }
    )
    return data


def routing_with_trace(ticket: Ticket) -> dict[str, Any] | None:
    """Return the router's proposal with its trace (kept in its own table) put back."""
    if ticket.routing is None:
        return None
    trace = db.session.get(TicketTrace, ticket.id)
    return {**ticket.routing, "trace": trace.trace} if trace is not None else ticket.routing


def _attachments(ticket: Ticket, resident: bool = False) -> list[dict[str, Any]]:
    # Lent by the attachments package (hotline.search.hooks), which imports this one.
    lend = current_app.extensions.get("hotline_ticket_attachments")
    return lend(ticket, resident) if lend else []


def _public_steps(ticket: Ticket, own: bool = True) -> list[dict[str, Any]]:
    steps = []
    for e in ticket.events:
        if not e.public:
            continue
        step = {
            "action": e.action,
            "at": _t(e.at),
            "to_status": e.to_status,
            "ticket": ticket.number,
        }
        data = e.data or {}
        if own and e.actor == "resident" and (data.get("comment") or data.get("reason")):
            # The resident's own words (a rating's comment, why it must be handled again).
            step["comment"] = data.get("comment") or data.get("reason")
        steps.append(step)
    return steps


def public_json(ticket: Ticket) -> dict[str, Any]:
    """Return what the resident sees: status, public steps and the reply, nothing internal.

    A merged ticket also carries its main ticket's public progress (``main``): the reply and
    the steps taken there are the answer to this resident too, and they rate it themselves.
    """
    data: dict[str, Any] = {
        "number": ticket.number,
        "status": ticket.status,
        "type": ticket.type,
        "created_at": _t(ticket.created_at),
        "department": ticket.department.name if ticket.department else None,
        # A reply waiting for the centre's review is not the resident's yet.
        "reply": None if ticket.status == "reviewing" else ticket.reply,
        "rating": ticket.rating,
        "can_rate": ticket.awaiting_rating,
        "attachments": _attachments(ticket, resident=True),
        "merged_into": None,
        "timeline": _public_steps(ticket),
    }
    main = ticket.merged_into if ticket.status == "merged" else None
    if main is not None:
        from hotline.tickets.followup import merged_can_rate

        data["merged_into"] = main.number
        data["main"] = {
            "number": main.number,
            "status": main.status,
            "department": main.department.name if main.department else None,
            "reply": main.reply,
            "timeline": _public_steps(main, own=False),
        }
        data["main_status"] = main.status
        data["department"] = data["main"]["department"]
        data["reply"] = main.reply
        data["can_rate"] = merged_can_rate(ticket)
        steps = data["timeline"] + data["main"]["timeline"]
        data["timeline"] = sorted(steps, key=lambda s: s["at"] or "")
    return data
