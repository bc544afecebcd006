"""Count a month's assessment from the raw tables: the reference the aggregates must equal.

Not on the request path (a month of 5 M tickets a year takes seconds): the tests compare the
aggregates' rows with it, and a page falls back to it only before the first count of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, func, or_, select

from hotline.core.extensions import db
from hotline.sla.models import SlaMark
from hotline.stats.assessed import REFUSALS
from hotline.stats.window import Window
from hotline.tickets.models import Ticket, TicketEvent

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
AREA_LENGTH = {"district": 6, "township": 9}
SOLVED = ("satisfied", "basically_satisfied")


def _key(level: str) -> tuple[Any, Any]:
    """Return the SQL grouping key of ``level`` and the condition a ticket must meet to count."""
    if level == "department":
        return Ticket.department_code, Ticket.department_code.is_not(None)
    length = AREA_LENGTH[level]
    return func.substr(PLACE, 1, length), func.length(PLACE) >= length


def _sum(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def counts(level: str, w: Window, now: datetime) -> dict[str, dict[str, int]]:
    """Count, per unit, what the parts are made of (tickets created in the window)."""
    key, counts_here = _key(level)
    rated = and_(Ticket.rating.is_not(None), Ticket.rating_excluded.is_(False))
    liked = and_(rated, Ticket.rating.in_(SOLVED))
    reopened = select(TicketEvent.ticket_id).where(TicketEvent.action == "reopen")
    settled = and_(
        Ticket.dispatched_at.is_not(None),
        or_(Ticket.signed_at.is_not(None), Ticket.sign_due < now),
    )
    stmt = (
        select(
            key.label("key"),
            func.count(Ticket.id).label("tickets"),
            _sum(settled).label("dispatched"),
            _sum(and_(Ticket.signed_at.is_not(None), Ticket.signed_at <= Ticket.sign_due)).label(
                "signed_in_time"
            ),
            _sum(Ticket.resolved_at.is_not(None)).label("resolved"),
            _sum(
                and_(Ticket.resolved_at.is_not(None), Ticket.resolved_at <= Ticket.resolve_due)
            ).label("resolved_in_time"),
            _sum(rated).label("rated"),
            _sum(liked).label("satisfied"),
            _sum(and_(liked, Ticket.id.not_in(reopened))).label("solved"),
            _sum(Ticket.rating_excluded.is_(True)).label("excluded"),
        )
        .where(
            counts_here,
            # As every figure: duplicates merged away and emergencies handed to 110 left out.
            Ticket.status != "merged",
            Ticket.emergency.is_(False),
            Ticket.created_at >= w.start,
            Ticket.created_at < w.end,
        )
        .group_by(key)
    )
    return {row.key: row._asdict() for row in db.session.execute(stmt)}


def deductions(level: str, w: Window) -> dict[str, dict[str, int]]:
    """Count, per unit, the red cards and refused reviews that happened in the window."""
    key, counts_here = _key(level)
    found: dict[str, dict[str, int]] = {}
    red = (
        select(key, func.count(SlaMark.id))
        .join(Ticket, Ticket.id == SlaMark.ticket_id)
        .where(counts_here, SlaMark.kind == "overdue", SlaMark.created_at >= w.start,
               SlaMark.created_at < w.end)
        .group_by(key)
    )  # fmt: skip
    for code, n in db.session.execute(red):
        found.setdefault(code, {})["red_cards"] = n
    # Review verdicts are few per month: read them and look at their data here.
    reviews = (
        select(key, TicketEvent.action, TicketEvent.data)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(counts_here, TicketEvent.action.in_(REFUSALS), TicketEvent.at >= w.start,
               TicketEvent.at < w.end)
    )  # fmt: skip
    for code, action, data in db.session.execute(reviews):
        if (data or {}).get("approve") is False:
            bucket = found.setdefault(code, {})
            bucket[REFUSALS[action]] = bucket.get(REFUSALS[action], 0) + 1
    return found
