"""What went out by auto-dispatch, for the operators to watch and pull back."""

from __future__ import annotations

from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.routing.models import RoutingFeedback
from hotline.tickets.models import Ticket


def _still_out():  # noqa: ANN202 - a SQL condition
    """Auto-dispatched, never corrected since, and not yet signed for: it may be pulled back."""
    return (
        RoutingFeedback.auto.is_(True),
        RoutingFeedback.corrected.is_(False),
        Ticket.status == "dispatched",
    )


def auto_dispatched(limit: int = 100) -> list[tuple[Ticket, RoutingFeedback]]:
    """Return the latest auto-dispatched tickets with their feedback rows, newest first."""
    rows = db.session.execute(
        select(Ticket, RoutingFeedback)
        .join(RoutingFeedback, RoutingFeedback.ticket_id == Ticket.id)
        # Sent out, so it has a moment: the dispatch index (of dispatched rows only) serves.
        .where(RoutingFeedback.auto.is_(True), RoutingFeedback.dispatched_at.is_not(None))
        .order_by(RoutingFeedback.dispatched_at.desc(), RoutingFeedback.id.desc())
        .limit(limit)
    ).all()
    return [(ticket, feedback) for ticket, feedback in rows]


def recallable(ticket: Ticket, feedback: RoutingFeedback) -> bool:
    """Tell whether an operator may still pull this auto-dispatched ticket back."""
    return ticket.status == "dispatched" and not feedback.corrected


def auto_dispatched_count() -> int:
    """Count the auto-dispatched tickets that are still out and unsigned."""
    stmt = (
        select(func.count())
        .select_from(RoutingFeedback)
        .join(Ticket, RoutingFeedback.ticket_id == Ticket.id)
        .where(*_still_out())
    )
    return db.session.scalar(stmt) or 0
