"""Suggest the tickets a new one may duplicate, for the operator to merge."""

from __future__ import annotations

from datetime import timedelta
from difflib import SequenceMatcher

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket

# The states a ticket can be merged into (still open for the resident).
MERGE_TARGETS = ("received", "returned", "dispatched", "accepted", "resolved")


def similarity(a: str, b: str) -> float:
    """Return how alike two descriptions read (0..1), on characters, as Chinese has no spaces."""
    return SequenceMatcher(None, a[:500], b[:500], autojunk=False).ratio()


def duplicate_candidates(ticket: Ticket, limit: int = 5) -> list[tuple[Ticket, float]]:
    """Suggest tickets from the same community in the last 7 days whose text is alike."""
    if not ticket.org_unit_code:
        return []
    since = utcnow() - timedelta(days=7)
    others = db.session.scalars(
        select(Ticket)
        .where(
            Ticket.org_unit_code == ticket.org_unit_code,
            Ticket.created_at >= since,
            Ticket.id != ticket.id,
            Ticket.status.in_(MERGE_TARGETS),
        )
        .order_by(Ticket.created_at.desc())
        .limit(200)
    ).all()
    scored = [(other, similarity(ticket.description, other.description)) for other in others]
    alike = [pair for pair in scored if pair[1] >= 0.3]
    return sorted(alike, key=lambda p: -p[1])[:limit]
