"""Build the SQL condition of a search box query, and count its hits up to a cap."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, false, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from hotline.extensions import db
from hotline.search.index import NOTE_ACTIONS
from hotline.search.tokens import PHONE_TAIL, normalise, term_bigrams
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.phones import normalise as normalise_phone

# Beyond this many hits the list says "more than N" instead of counting them all.
COUNT_CAP = 1000
NUMBER = re.compile(r"^\d{8}-?\d{6}$")


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _has_tokens(tokens: list[str]) -> ColumnElement[bool]:
    return Ticket.search_grams.op("@>")(literal(tokens, ARRAY(Text)))


def _words(term: str) -> ColumnElement[bool]:
    if not _postgres():
        # SQLite: the columns themselves (LIKE ignores ASCII case there) and the notes.
        notes = select(TicketEvent.id).where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.action.in_(NOTE_ACTIONS),
            TicketEvent.data["text"].as_string().contains(term, autoescape=True),
        )
        columns = (Ticket.description, Ticket.address, Ticket.reply)
        return or_(*(c.contains(term, autoescape=True) for c in columns), notes.exists())
    like = Ticket.search_text.contains(term, autoescape=True)
    tokens = term_bigrams(term)
    # The token array narrows on its GIN index; LIKE then checks the order of the tokens.
    return and_(_has_tokens(tokens), like) if tokens else like


def term_condition(raw: str) -> ColumnElement[bool]:
    """Return what one search term matches: number, phone, phone tail, or words."""
    term = normalise(raw)
    options: list[ColumnElement[bool]] = [_words(term)]
    if NUMBER.match(term):
        number = term if "-" in term else f"{term[:8]}-{term[8:]}"
        options.append(Ticket.number == number)
    phone = normalise_phone(term) if re.fullmatch(r"[\d+\- ]{7,20}", term) else None
    if phone:
        options.append(Ticket.phone == phone)
    if re.fullmatch(r"\d{4}", term):
        if _postgres():
            options.append(_has_tokens([PHONE_TAIL + term]))
        else:
            options.append(Ticket.phone.endswith(term))
    return or_(*options)


def search_condition(q: str) -> ColumnElement[bool]:
    """Return the condition of a whole query: every whitespace-separated term must match."""
    terms = [t for t in normalise(q).split() if t][:8]
    if not terms:
        return false()
    return and_(*(term_condition(t) for t in terms))


def capped_count(stmt: Any, cap: int | None = None) -> tuple[int, bool]:
    """Count the rows of ``stmt`` up to ``cap``; return the count and whether it was capped."""
    cap = cap or COUNT_CAP
    limited = stmt.with_only_columns(Ticket.id).order_by(None).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return (cap, True) if total > cap else (total, False)
