"""Turn tickets into the JSON the API returns, for staff and for residents."""

from __future__ import annotations

from typing import Any

from flask import current_app

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.core.permissions import sees_full_phone
from hotline.core.phones import mask
from hotline.core.timeutil import isoformat
from hotline.tickets.models import Ticket, TicketEvent, TicketTrace
from hotline.tickets.states import allowed_actions


def _t(value: Any) -> str | None:
    return isoformat(value, settings().timezone)


def event_json(event: TicketEvent) -> dict[str, Any]:
    """Return one timeline entry."""
    return {
        "action": event.action,
        "actor": event.actor,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": _t(event.at),
        "data": event.data or {},
    }


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
        "description": ticket.description,
        "address": ticket.address,
        "phone": ticket.phone if sees_full_phone(actor, ticket) else mask(ticket.phone),
        "name": ticket.name,
        "org_unit": unit_json(ticket.org_unit),
        "department": department_json(ticket.department),
        "sign_due": _t(ticket.sign_due),
        "resolve_due": _t(ticket.resolve_due),
        "followup_due": _t(ticket.followup_due),
        "escalation_level": ticket.escalation_level,
        "created_at": _t(ticket.created_at),
        "updated_at": _t(ticket.updated_at),
        "version": ticket.version,
    }


def ticket_json(ticket: Ticket, actor: Actor) -> dict[str, Any]:
    """Return the full staff view of a ticket with its timeline."""
    data = ticket_summary(ticket, actor)
    data.update(
        {
            "routing": routing_with_trace(ticket),
            "reply": ticket.reply,
            "rating": ticket.rating,
            "rating_comment": ticket.rating_comment,
            "extension_request": ticket.extension_request,
            "merged_into": ticket.merged_into.number if ticket.merged_into else None,
            "allowed_actions": allowed_actions(ticket.status, actor.role),
            "events": [event_json(e) for e in ticket.events],
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


def public_json(ticket: Ticket) -> dict[str, Any]:
    """Return what the resident sees: status, public steps and the reply, nothing internal."""
    return {
        "number": ticket.number,
        "status": ticket.status,
        "type": ticket.type,
        "created_at": _t(ticket.created_at),
        "department": ticket.department.name if ticket.department else None,
        "reply": ticket.reply,
        "rating": ticket.rating,
        "can_rate": ticket.awaiting_rating,
        "attachments": _attachments(ticket, resident=True),
        "timeline": [
            {"action": e.action, "at": _t(e.at), "to_status": e.to_status}
            for e in ticket.events
            if e.public
        ],
    }
