"""Keep each ticket's searchable text (and, on PostgreSQL, its tokens) current on every flush.

A listener rather than calls in every operation: description, reply, address and notes
change in many places (intake, actions, SMS notes, voice placeholders), and the index must
follow all of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from hotline.search.tokens import bigrams, document, normalise, phone_tail_token
from hotline.tickets.models import Ticket, TicketEvent

INDEXED = ("description", "address", "reply", "phone")
NOTE_ACTIONS = ("note", "resident_note")


def _note_text(event_: TicketEvent) -> str | None:
    data = event_.data or {}
    return data.get("text") if event_.action in NOTE_ACTIONS else None


def _set(ticket: Ticket, text: str, use_grams: bool) -> None:
    ticket.search_text = text
    if use_grams:
        tokens = bigrams(text)
        tail = phone_tail_token(ticket.phone)
        if tail:
            tokens.add(tail)
        ticket.search_grams = sorted(tokens)


def rebuild(session: Session, ticket: Ticket, use_grams: bool) -> None:
    """Recompute a ticket's searchable text from its fields and its stored notes."""
    notes: list[str] = []
    if ticket.id is not None:
        with session.no_autoflush:
            rows = session.scalars(
                select(TicketEvent).where(
                    TicketEvent.ticket_id == ticket.id, TicketEvent.action.in_(NOTE_ACTIONS)
                )
            ).all()
        notes = [t for t in (_note_text(e) for e in rows) if t]
    _set(ticket, document(ticket.description, ticket.address, ticket.reply, *notes), use_grams)


def _changed(ticket: Ticket) -> bool:
    state: Any = inspect(ticket)
    return any(state.attrs[name].history.has_changes() for name in INDEXED)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    # SQLite searches the ticket's own columns with LIKE (hotline.search.query).
    if session.get_bind().dialect.name != "postgresql":
        return
    with session.no_autoflush:
        _index_pending(session, True)


def _index_pending(session: Session, use_grams: bool) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Ticket) and (obj in session.new or _changed(obj)):
            rebuild(session, obj, use_grams)
    for obj in list(session.new):
        if isinstance(obj, TicketEvent) and obj.ticket is not None:
            text = _note_text(obj)
            if text:
                ticket = obj.ticket
                if ticket.search_text and normalise(text) in ticket.search_text.split("\n"):
                    continue  # a rebuild in this flush already read it
                _set(ticket, "\n".join(filter(None, [ticket.search_text, normalise(text)])),
                     use_grams)  # fmt: skip


def new_ticket_fields(ticket: Ticket, dialect: str) -> dict[str, Any]:
    """Return the search columns of a ticket inserted without a flush (intake's plain INSERT)."""
    if dialect != "postgresql":
        return {}
    _set(ticket, document(ticket.description, ticket.address, ticket.reply), True)
    return {"search_text": ticket.search_text, "search_grams": ticket.search_grams}


def init_search_index() -> None:
    """Install the flush listener once per process."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
