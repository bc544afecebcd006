"""The 110 platform's endpoint: hand a non-police matter over, and follow it."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from hotline.api.errors import ApiError
from hotline.api.parsing import json_body
from hotline.core.context import settings
from hotline.core.errors import NotFound
from hotline.core.timeutil import isoformat
from hotline.interop import operations
from hotline.interop.models import InteropKey
from hotline.interop.schemas import HandoverSchema
from hotline.tickets.serialize import public_json

bp = Blueprint("interop_api", __name__, url_prefix="/api/v1/interop")


def _authenticate(partner: str) -> InteropKey:
    key = operations.find_key(partner, request.headers.get("Authorization"))
    if key is None:
        raise ApiError(401, "unauthorized", "send a valid partner key as Authorization: Bearer KEY")
    return key


@bp.post("/<partner>/tickets")
def hand_over(partner: str):
    """Open a ticket for a matter the partner platform hands over (201; 200 when known)."""
    key = _authenticate(partner)
    data = HandoverSchema().load(json_body())
    ticket, created = operations.receive_handover(data, key)
    body = {
        "number": ticket.number,
        "external_id": data["external_id"],
        "status": ticket.status,
        "channel": ticket.channel,
        "created_at": isoformat(ticket.created_at, settings().timezone),
    }
    return jsonify(body), 201 if created else 200


@bp.get("/<partner>/tickets/<external_id>")
def follow(partner: str, external_id: str):
    """Show the partner the public progress of a matter it handed over."""
    key = _authenticate(partner)
    ticket = operations.find_handover(key.partner, external_id)
    if ticket is None:
        raise NotFound()
    return jsonify({"external_id": external_id, **public_json(ticket)})
