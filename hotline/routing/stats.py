"""How often each rule decided a ticket, and how often operators overrode it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.tickets.models import TicketEvent


@dataclass(frozen=True)
class RuleStats:
    """One rule's counts."""

    rule: str
    fired: int
    dispatched: int
    overridden: int

    @property
    def override_rate(self) -> float | None:
        """Return overridden / dispatched, or None before any dispatch."""
        return self.overridden / self.dispatched if self.dispatched else None


def rule_stats() -> list[RuleStats]:
    """Count route events per rule, and dispatches that accepted or overrode them."""
    fired: Counter[str] = Counter()
    dispatched: Counter[str] = Counter()
    overridden: Counter[str] = Counter()
    rows = db.session.execute(
        select(TicketEvent.action, TicketEvent.data)
        .where(TicketEvent.action.in_(("route", "dispatch")))
        .execution_options(yield_per=2000)
    )
    for action, data in rows:
        rule = (data or {}).get("rule") or "(no rule: 12345 centre)"
        if action == "route":
            fired[rule] += 1
        elif "proposed" in (data or {}):
            dispatched[rule] += 1
            overridden[rule] += bool(data.get("override"))
    return [
        RuleStats(rule, fired[rule], dispatched[rule], overridden[rule])
        for rule in sorted(fired.keys() | dispatched.keys(), key=lambda r: (-fired[r], r))
    ]
