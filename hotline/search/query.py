"""Build the SQL condition of a search box query, and count its hits up to a cap."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.phones import normalise as normalise_phone
from hotline.search.index import NOTE_ACTIONS
from hotline.search.plan import is_common, looks_common, term_share
from hotline.search.tokens import PHONE_TAIL, normalise, term_bigrams
from hotline.tickets.models import Ticket, TicketEvent

# Beyond this many hits the list says "more than N" instead of counting them all.
COUNT_CAP = 1000
NUMBER = re.compile(r"^\d{8}-?\d{6}$")
WORD_PAIR = re.compile(r"\w\w")
_TRIGRAMS: dict[Any, bool] = {}


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _has_tokens(tokens: list[str]) -> ColumnElement[bool]:
    return Ticket.search_grams.op("@>")(literal(tokens, ARRAY(Text)))


def trigrams_cover_chinese() -> bool:
    """Tell whether pg_trgm makes trigrams of Chinese here (it needs a UTF-8 LC_CTYPE)."""
    engine = db.engine
    if engine not in _TRIGRAMS:
        with engine.connect() as conn:
            _TRIGRAMS[engine] = bool(conn.scalar(text("SELECT show_trgm('占道经营') <> '{}'")))
    return _TRIGRAMS[engine]


def _redacted(text_: Any, lower: bool = False) -> Any:
    """Return ``text_`` with the resident's name and phone cut out (what redact() blacks out)."""
    name = func.coalesce(Ticket.name, "")
    # A line break: no search term holds one, so none matches across the cut either.
    cut = func.replace(text_, func.lower(name) if lower else name, "\n")
    return func.replace(cut, func.coalesce(Ticket.phone, ""), "\n")


def _shown(text_: Any) -> Any:
    """Return the text a department reads: a confidential ticket's without the resident."""
    return case((Ticket.confidential, _redacted(text_)), else_=text_)


def _words(term: str, filter_only: bool, identity: bool) -> ColumnElement[bool]:
    if not _postgres():
        # SQLite: the columns themselves (LIKE ignores ASCII case there) and the notes.
        def shown(text_: Any) -> Any:
            return text_ if identity else _shown(text_)

        notes = select(TicketEvent.id).where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.action.in_(NOTE_ACTIONS),
            shown(TicketEvent.data["text"].as_string()).contains(term, autoescape=True),
        )
        columns = (Ticket.description, Ticket.address, Ticket.reply)
        return or_(*(shown(c).contains(term, autoescape=True) for c in columns), notes.exists())
    found = _pg_words(term, filter_only)
    if identity:
        return found
    # Checked only on the rows the index finds: a confidential one must hold the term
    # outside the resident's name and phone (search_text is lower case, so is the name).
    outside = func.strpos(_redacted(Ticket.search_text, lower=True), term) > 0
    return and_(found, or_(~Ticket.confidential, outside))


def _pg_words(term: str, filter_only: bool) -> ColumnElement[bool]:
    like = Ticket.search_text.contains(term, autoescape=True)
    if filter_only:
        # A common term beside a rarer one: checked on the rows the rarer one finds.
        return func.strpos(Ticket.search_text, term) > 0
    if WORD_PAIR.fullmatch(term):
        # Two word characters: the token itself says the text holds them (no LIKE, whose
        # trigram index cannot narrow a two-character pattern and would read it all).
        return _has_tokens([term])
    if len(term) >= 3 and trigrams_cover_chinese():
        return like  # the pg_trgm index
    tokens = term_bigrams(term)
    # The tokens narrow on their GIN index; LIKE then checks their order.
    return and_(_has_tokens(tokens), like) if tokens else like


def term_condition(raw: str, identity: bool, filter_only: bool = False) -> ColumnElement[bool]:
    """Return what one search term matches: number, phone, phone tail, or words.

    Without ``identity`` (a department: hotline.core.permissions.sees_identity) the
    resident's phone, its tail and name never select a confidential ticket (保密).
    """
    term = normalise(raw)
    options: list[ColumnElement[bool]] = [_words(term, filter_only, identity)]
    if NUMBER.match(term):
        number = term if "-" in term else f"{term[:8]}-{term[8:]}"
        options.append(Ticket.number == number)
    resident: list[ColumnElement[bool]] = []
    phone = normalise_phone(term) if re.fullmatch(r"[\d+\- ]{7,20}", term) else None
    if phone:
        resident.append(Ticket.phone == phone)
    if re.fullmatch(r"\d{4}", term):
        if _postgres():
            resident.append(_has_tokens([PHONE_TAIL + term]))
        else:
            resident.append(Ticket.phone.endswith(term))
    if resident:
        options.append(or_(*resident) if identity else and_(or_(*resident), ~Ticket.confidential))
    return or_(*options)


def search_condition(q: str, actor: Actor) -> ColumnElement[bool]:
    """Return the condition of a whole query: every whitespace-separated term must match."""
    terms = [t for t in normalise(q).split() if t][:8]
    if not terms:
        return false()
    # Only the centre knows who filed a confidential ticket (permissions.sees_identity).
    identity = actor.is_centre
    if not _postgres() or len(terms) == 1:
        return and_(*(term_condition(t, identity) for t in terms))
    # Several terms: only the rarest reaches an index; a common one would cost a huge bitmap.
    shares = [term_share(t) for t in terms]
    rarest = min(shares)
    return and_(
        *(
            term_condition(t, identity, share > rarest and is_common(share, COUNT_CAP))
            for t, share in zip(terms, shares, strict=True)
        )
    )


def search_page(
    stmt: Any, page: int, per_page: int, q: str | None = None
) -> tuple[list[Ticket], int, bool]:
    """Return one page of a list (newest first), the capped total and whether it was capped.

    On PostgreSQL the plan follows how common the search is (hotline.search.plan): a common
    one walks the date index for the count and the page (bitmaps off: the search index would
    return a third of the table); a rare one is counted on the search index, then its few
    hits are sorted (ordering by an expression the date index cannot serve, so the planner
    does not walk the whole table looking for them).
    """
    order = [Ticket.created_at.desc(), Ticket.id.desc()]
    walk = _postgres() and q is not None and looks_common(q, COUNT_CAP)
    if walk:
        db.session.execute(text("SET LOCAL enable_bitmapscan = off"))
        total, capped = capped_count(stmt.order_by(*order))
    else:
        total, capped = capped_count(stmt)
        if _postgres() and not capped:
            order[0] = (Ticket.created_at + literal_column("interval '0 seconds'")).desc()
    rows = db.session.scalars(
        stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    if walk:
        db.session.execute(text("SET LOCAL enable_bitmapscan = on"))
    return list(rows), total, capped


def capped_count(stmt: Any, cap: int | None = None) -> tuple[int, bool]:
    """Count the rows of ``stmt`` up to ``cap``; return the count and whether it was capped."""
    cap = cap or COUNT_CAP
    limited = stmt.with_only_columns(Ticket.id).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return (cap, True) if total > cap else (total, False)
