"""Suggest the tickets a new one may duplicate, for the operator to merge."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from difflib import SequenceMatcher

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket

# The states a ticket can be merged into (still open for the resident).
MERGE_TARGETS = ("received", "returned", "dispatched", "accepted", "resolved")


def _pairs(text: str) -> set[str]:
    """Return the two-character windows of the word runs of ``text`` (lower case)."""
    runs = re.findall(r"\w+", unicodedata.normalize("NFKC", text[:500]).lower())
    return {run[i : i + 2] for run in runs for i in range(max(len(run) - 1, 1))}


def similarity(a: str, b: str) -> float:
    """Return how alike two descriptions read (0..1), on characters, as Chinese has no spaces.

    The better of the character sequence match and the overlap of two-character words, so the
    same words in another order ("占道经营 夜市" / "夜市占道经营") still count as alike.
    """
    sequence = SequenceMatcher(None, a[:500], b[:500], autojunk=False).ratio()
    grams_a, grams_b = _pairs(a), _pairs(b)
    if not grams_a or not grams_b:
        return sequence
    return max(sequence, 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b)))


def duplicate_candidates(ticket: Ticket, limit: int = 5) -> list[tuple[Ticket, float, list[str]]]:
    """Suggest tickets to merge with, each with its score and why it was suggested.

    Looked at: the last 7 days in the same township (any channel) with alike words, and the
    caller's own open tickets wherever they are.
    """
    since = utcnow() - timedelta(days=7)
    base = select(Ticket).where(Ticket.id != ticket.id, Ticket.status.in_(MERGE_TARGETS))
    area = (ticket.org_unit_code or "")[:9]
    nearby = base.where(Ticket.created_at >= since)
    if area:
        nearby = nearby.where(Ticket.org_unit_code.startswith(area, autoescape=True))
    recent = db.session.scalars(nearby.order_by(Ticket.created_at.desc()).limit(200))
    pool = {t.id: t for t in recent}
    own = db.session.scalars(
        base.where(Ticket.phone == ticket.phone).order_by(Ticket.created_at.desc()).limit(20)
    ).all()
    own_ids = {t.id for t in own}
    pool.update({t.id: t for t in own})
    found = []
    for other in pool.values():
        score = similarity(ticket.description, other.description)
        reasons = []
        if other.id in own_ids:
            reasons.append("caller")
        if area and (other.org_unit_code or "").startswith(area):
            reasons.append("township")
        if score >= 0.3:
            reasons.append("words")
        if "caller" in reasons or score >= 0.3:
            found.append((other, score, reasons))
    found.sort(key=lambda c: ("caller" not in c[2], -c[1]))
    return found[:limit]
