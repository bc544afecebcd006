"""Answers for actions taken from a console list: in place for htmx, else flash and redirect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.search.history import caller_tickets
from hotline.tickets.models import Ticket
from hotline.twilio.models import CallSession

# A call still counts as incoming this long after it came in, unless Twilio said it ended.
CALL_WINDOW = timedelta(minutes=15)
ENDED = ("completed", "busy", "failed", "no-answer", "canceled")


def wants_fragment() -> bool:
    """Tell whether the request came from htmx (answer with a fragment, keep the page)."""
    return request.headers.get("HX-Request") == "true"


def done_row(ticket: Ticket, message: str, columns: int = 4) -> str:
    """Render the row that replaces a ticket's row after an action taken in place."""
    return render_template(
        "partials/done_row.html", ticket=ticket, message=message, columns=columns
    )


def incoming_calls(actor: Actor, limit: int = 5) -> list[dict[str, Any]]:
    """Return the calls coming in now, each with the caller's tickets (open ones first)."""
    calls = db.session.scalars(
        select(CallSession)
        .where(
            CallSession.created_at >= utcnow() - CALL_WINDOW,
            CallSession.call_status.is_(None) | CallSession.call_status.not_in(ENDED),
        )
        .order_by(CallSession.id.desc())
        .limit(limit)
    ).all()
    out = []
    for call in calls:
        known = call.caller not in ("unknown",)
        history = caller_tickets(call.caller, actor, open_first=True, limit=10) if known else []
        current = db.session.get(Ticket, call.ticket_id) if call.ticket_id else None
        out.append({"call": call, "history": history, "ticket": current})
    return out
