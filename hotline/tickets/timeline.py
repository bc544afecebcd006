"""A ticket's timeline: every state change and note is one event appended here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket, TicketEvent


def add_event(
    ticket: Ticket,
    action: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    at: datetime | None = None,
    public: bool = False,
) -> TicketEvent:
    """Append one event to the ticket's timeline."""
    # Attach through the many-to-one side: appending to ticket.events would first load the
    # whole timeline, which a sweep over thousands of tickets cannot afford.
    event = TicketEvent(
        ticket=ticket,
        action=action,
        actor_id=actor.id,
        actor=actor.label,
        from_status=from_status,
        to_status=to_status,
        at=at or utcnow(),
        data=data or {},
        public=public,
    )
    db.session.add(event)
    return event
