"""What a list row shows beyond the ticket's columns: urges counted, reopened, the resident's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.tickets.models import Ticket, TicketEvent

AGAIN = ("reopen", "requeue")


@dataclass
class Marks:
    """The badges of one row: 催办 ×n, 重办, and the resident's comment that sent it back."""

    urges: int = 0
    reopened: bool = False
    comment: str | None = None


def row_marks(tickets: Iterable[Ticket]) -> dict[int, Marks]:
    """Return the marks of each listed ticket, in one query over their timelines."""
    ids = [t.id for t in tickets]
    marks = {i: Marks() for i in ids}
    if not ids:
        return marks
    rows = db.session.execute(
        select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.data)
        .where(
            TicketEvent.ticket_id.in_(ids), TicketEvent.action.in_(("urge", "supervise", *AGAIN))
        )
        .order_by(TicketEvent.id)
    )
    for ticket_id, action, data in rows:
        mark = marks[ticket_id]
        if action in AGAIN:
            mark.reopened = True
            mark.comment = (data or {}).get("reason") or mark.comment
        else:
            mark.urges += 1
    return marks
