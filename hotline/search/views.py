"""The caller's history API."""

from __future__ import annotations

from flask import Blueprint, jsonify

from hotline.core.errors import Forbidden
from hotline.search.history import caller_phone, caller_tickets, history_json
from hotline.users.tokens import current_actor

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


@bp.get("/callers/<phone>/tickets")
def caller_history(phone: str):
    """List a phone's tickets, newest first: operators, and departments holding one of them."""
    actor = current_actor()
    if not actor.is_staff:
        raise Forbidden("staff only")
    tickets = caller_tickets(caller_phone(phone), actor)
    return jsonify({"phone": caller_phone(phone), "items": [history_json(t) for t in tickets]})
