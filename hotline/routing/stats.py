"""First-time-right per rule and per function, read from routing_feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select

from hotline.core.extensions import db
from hotline.routing.models import RoutingFeedback

NO_RULE = "(no rule: 12345 centre)"


@dataclass(frozen=True)
class RuleStats:
    """One rule's (or function's) counts: proposals, first dispatches, as proposed, stayed."""

    rule: str
    fired: int
    dispatched: int
    as_proposed: int
    stayed: int

    @property
    def overridden(self) -> int:
        """Return the first dispatches that went elsewhere than proposed."""
        return self.dispatched - self.as_proposed

    @property
    def override_rate(self) -> float | None:
        """Return overridden / dispatched, or None before any dispatch."""
        return self.overridden / self.dispatched if self.dispatched else None

    @property
    def rate(self) -> float | None:
        """Return the first-time-right rate: stayed / dispatched."""
        return self.stayed / self.dispatched if self.dispatched else None

    def to_dict(self, key: str = "rule") -> dict[str, Any]:
        """Return the counts as plain JSON-ready data."""
        return {
            key: self.rule,
            "proposals": self.fired,
            "fired": self.fired,
            "dispatched": self.dispatched,
            "as_proposed": self.as_proposed,
            "stayed": self.stayed,
            "rate": self.rate,
            "overridden": self.overridden,
            "override_rate": self.override_rate,
        }


def _grouped(column: Any, since: datetime | None) -> list[RuleStats]:
    dispatched = RoutingFeedback.dispatched_at.is_not(None)
    proposed = and_(dispatched, RoutingFeedback.as_proposed.is_(True))
    stayed = and_(proposed, RoutingFeedback.corrected.is_(False))
    stmt = select(
        column,
        func.count(),
        func.count(case((dispatched, 1))),
        func.count(case((proposed, 1))),
        func.count(case((stayed, 1))),
    ).group_by(column)
    if since is not None:
        stmt = stmt.where(RoutingFeedback.proposed_at >= since)
    rows = [
        RuleStats(key or NO_RULE, fired, sent, kept, stay)
        for key, fired, sent, kept, stay in db.session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: (-r.fired, r.rule))


def rule_stats(since: datetime | None = None) -> list[RuleStats]:
    """Return the counts per rule that made the proposal (rule-less proposals together)."""
    return _grouped(RoutingFeedback.rule, since)


def function_stats(since: datetime | None = None) -> list[RuleStats]:
    """Return the counts per proposed function."""
    return _grouped(RoutingFeedback.function, since)


def recent_rate(rule: str, window: int) -> tuple[float | None, int]:
    """Return (first-time-right rate, sample) over the rule's ``window`` latest dispatches."""
    rows = db.session.execute(
        select(RoutingFeedback.as_proposed, RoutingFeedback.corrected)
        .where(RoutingFeedback.rule == rule, RoutingFeedback.dispatched_at.is_not(None))
        .order_by(RoutingFeedback.dispatched_at.desc(), RoutingFeedback.id.desc())
        .limit(window)
    ).all()
    if not rows:
        return None, 0
    stayed = sum(1 for as_proposed, corrected in rows if as_proposed and not corrected)
    return stayed / len(rows), len(rows)
