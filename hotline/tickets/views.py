"""The ticket API: public intake and tracking, staff lists, details and actions."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from hotline.api.parsing import json_body, query_args
from hotline.api.ratelimit import rate_limited
from hotline.core.context import settings
from hotline.core.errors import Forbidden
from hotline.core.timeutil import isoformat
from hotline.tickets import listing, operations
from hotline.tickets.notices import WEB_EMERGENCY_NOTICE
from hotline.tickets.schemas import (
    ACTION_SCHEMAS,
    ActionEnvelopeSchema,
    ResidentRateSchema,
    TicketCreateSchema,
    TicketQuerySchema,
    TrackQuerySchema,
)
from hotline.tickets.serialize import public_json, ticket_json, ticket_summary
from hotline.users.tokens import current_actor

bp = Blueprint("tickets_api", __name__, url_prefix="/api/v1")
# Schemas keep no state between loads; building one copies every field (intake's hot path).
_CREATE = TicketCreateSchema()


@bp.post("/tickets")
@rate_limited("intake")
def create_ticket():
    """Open a ticket for a resident (no login)."""
    data = _CREATE.load(json_body())
    actor = current_actor(required=False)
    ticket = operations.take_in(data, channel="api" if actor else "web")
    emergency = ticket.proposal.is_emergency
    body = {
        "number": ticket.number,
        "status": ticket.status,
        "type": ticket.type,
        "created_at": isoformat(ticket.created_at, settings().timezone),
        "emergency": emergency,
        "notice": WEB_EMERGENCY_NOTICE if emergency else None,
    }
    return jsonify(body), 201


@bp.get("/track/<number>")
@rate_limited("track")
def track(number: str):
    """Show a resident their ticket, given its number and their phone."""
    args = TrackQuerySchema().load(query_args())
    return jsonify(public_json(operations.track(number, args["phone"])))


@bp.post("/track/<number>/rate")
@rate_limited("track")
def resident_rate(number: str):
    """Let a resident rate the result of their ticket."""
    data = ResidentRateSchema().load(json_body())
    ticket = operations.rate_as_resident(
        number, data["phone"], data["rating"], data.get("comment"), data["reopen"]
    )
    return jsonify(public_json(ticket))


@bp.get("/tickets")
def list_tickets():
    """List the tickets in the caller's scope, newest first."""
    actor = current_actor()
    args = TicketQuerySchema().load(query_args())
    search = current_app.extensions.get("hotline_ticket_search")
    clocks = current_app.extensions.get("hotline_ticket_clocks")
    result = listing.ticket_page(actor, args, search, clocks)
    return jsonify(
        {
            "items": [ticket_summary(t, actor) for t in result["tickets"]],
            "total": result["total"],
            "total_capped": result["total_capped"],
            "page": args["page"],
            "per_page": args["per_page"],
            "next": result["next"],
        }
    )


@bp.get("/tickets/<number>")
def get_ticket(number: str):
    """Show one ticket with its timeline."""
    actor = current_actor()
    return jsonify(ticket_json(operations.get_ticket(number, actor), actor))


@bp.post("/tickets/<number>/actions")
def act(number: str):
    """Apply one action (dispatch, sign, resolve, …) to a ticket."""
    actor = current_actor()
    body = json_body()
    action = ActionEnvelopeSchema().load({"action": body.get("action")})["action"]
    payload = ACTION_SCHEMAS[action]().load(body)
    if not actor.is_staff:
        raise Forbidden("staff only")
    ticket = operations.apply_action(number, payload, actor)
    return jsonify(ticket_json(ticket, actor))
