"""Tell a common search from a rare one before running it, from PostgreSQL's own statistics.

A common token (噪音 in a third of all tickets) makes any bitmap of the search index huge:
then walking the date index, newest first, finds a page (and the capped count) at once. A
rare one is the opposite: the walk would read the whole table, the bitmap is tiny. ANALYZE
keeps the most common tokens of search_grams and their frequencies in pg_stats.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text

from hotline.core.extensions import db
from hotline.search.tokens import normalise, term_bigrams

STATS_SECONDS = 300
# A token in this share of the tickets or more is common: its bitmap costs more than a walk.
COMMON_SHARE = 0.08
# ... and only when its estimated hits also pass the count cap this many times over.
COMMON_FACTOR = 20
_stats: dict[Any, tuple[float, dict[str, float], float]] = {}


def token_stats() -> tuple[dict[str, float], float]:
    """Return {token: share of tickets} for the most common tokens, and the ticket count."""
    engine = db.engine
    cached = _stats.get(engine)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1], cached[2]
    row = db.session.execute(
        text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
            " FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname"
            " AND s.attname = 'search_grams' WHERE c.relname = 'tickets'"
        )
    ).first()
    freqs: dict[str, float] = {}
    rows = 0.0
    if row is not None:
        elems, values, rows = row[0] or [], row[1] or [], float(row[2] or 0)
        freqs = dict(zip(elems, values, strict=False))
    _stats[engine] = (time.monotonic() + STATS_SECONDS, freqs, rows)
    return freqs, rows


def term_share(term: str) -> float:
    """Estimate the share of tickets holding a (normalised) term; numbers count as rare."""
    if any(ch.isdigit() for ch in term):
        return 0.0  # numbers, phones and their tails are rare by nature
    freqs, _ = token_stats()
    # A term holds all its tokens: it is at most as common as the rarest of them.
    return min((freqs.get(t, 0.0) for t in term_bigrams(term)), default=0.0)


def is_common(share: float, cap: int) -> bool:
    """Tell whether a share of the tickets is common enough to walk the date index for."""
    _, rows = token_stats()
    return share >= COMMON_SHARE and share * rows > COMMON_FACTOR * cap


def looks_common(q: str, cap: int) -> bool:
    """Tell whether every term of ``q`` is common enough that the hits surely pass ``cap``."""
    shares = [term_share(t) for t in normalise(q).split()[:8]]
    return bool(shares) and is_common(min(shares), cap)
