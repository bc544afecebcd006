"""Auto-dispatch: a rule that has earned the centre's trust dispatches without an operator."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.routing.feedback import AUTO_ACTOR
from hotline.routing.models import RuleAutodispatch
from hotline.routing.stats import recent_rate

log = logging.getLogger(__name__)
AUTO = Actor(None, AUTO_ACTOR, "system")


class AutodispatchError(ValueError):
    """The centre asked for something the rule's record does not allow."""


@dataclass(frozen=True)
class Record:
    """A rule's measured first-time-right rate over its latest dispatches, against the bar."""

    rule: str
    rate: float | None
    sample: int
    threshold: float
    minimum: int

    @property
    def earned(self) -> bool:
        """Tell whether the rule clears the threshold over enough dispatches."""
        return self.sample >= self.minimum and (self.rate or 0.0) >= self.threshold

    def describe(self) -> str:
        """Say the record in one line."""
        rate = f"{self.rate:.1%}" if self.rate is not None else "-"
        return (
            f"first-time-right {rate} over the latest {self.sample} dispatches "
            f"(needs >= {self.threshold:.0%} over >= {self.minimum})"
        )


def record(rule: str) -> Record:
    """Measure a rule over the latest HOTLINE_AUTODISPATCH_MIN dispatches of its proposals."""
    settings = current_app.config["HOTLINE"]
    rate, sample = recent_rate(rule, settings.autodispatch_min)
    return Record(rule, rate, sample, settings.autodispatch_threshold, settings.autodispatch_min)


def routing_rule_ids() -> set[str] | None:
    """Return the ids of the rules that route (None when the rule files cannot be read)."""
    from hotline.routing.rules import RuleSetError, load_ruleset

    try:
        ruleset = load_ruleset(current_app.config["HOTLINE"].rules_dir)
    except RuleSetError:
        return None
    return {rule.id for rule in ruleset.rules if rule.routes}


def enable(rule: str, by: str) -> Record:
    """Switch auto-dispatch on for a rule that has earned it; raise AutodispatchError if not."""
    known = routing_rule_ids()
    if known is not None and rule not in known:
        raise AutodispatchError(f"{rule}: no rule with this id names a department")
    measured = record(rule)
    if not measured.earned:
        raise AutodispatchError(f"{rule} has not earned auto-dispatch: {measured.describe()}")
    _set(rule, True, by, measured)
    return measured


def disable(rule: str, by: str) -> Record:
    """Switch auto-dispatch off for a rule (always allowed)."""
    measured = record(rule)
    if db.session.get(RuleAutodispatch, rule) is None:
        raise AutodispatchError(f"{rule}: auto-dispatch was never switched on")
    _set(rule, False, by, measured)
    return measured


def _set(rule: str, enabled: bool, by: str, measured: Record) -> None:
    row = db.session.get(RuleAutodispatch, rule) or RuleAutodispatch(rule=rule, changed_by=by)
    row.enabled, row.changed_by, row.changed_at = enabled, by, utcnow()
    row.rate, row.sample = measured.rate, measured.sample
    db.session.add(row)
    db.session.commit()


def switches() -> list[tuple[RuleAutodispatch, Record]]:
    """Return every rule's switch with its record measured now."""
    rows = db.session.scalars(select(RuleAutodispatch).order_by(RuleAutodispatch.rule)).all()
    return [(row, record(row.rule)) for row in rows]


def confidence_of(proposal: dict[str, Any]) -> float:
    """Return the decision's confidence; without one, 1 when no other routing rule matched."""
    value = proposal.get("confidence")
    if value is not None:
        return float(value)
    rivals = [s for s in proposal.get("trace") or [] if s.get("outcome") == "lost"]
    return 0.0 if rivals else 1.0


def reason_to_dispatch(proposal: dict[str, Any] | None) -> str | None:
    """Return the dispatch reason when this proposal may go out alone, else None."""
    if not proposal or proposal.get("emergency") or proposal.get("fallback"):
        return None
    rule = proposal.get("rule")
    if not rule or not (proposal.get("department") or {}).get("code"):
        return None
    switch = db.session.get(RuleAutodispatch, rule)
    if switch is None or not switch.enabled:
        return None
    settings = current_app.config["HOTLINE"]
    confidence = confidence_of(proposal)
    if confidence < settings.autodispatch_confidence:
        return None
    measured = record(rule)
    if not measured.earned:  # the record slipped since the switch was turned on
        return None
    return f"自动派单：规则 {rule}，{measured.describe()}，confidence {confidence:.2f}"


def after_intake(number: str, proposal: dict[str, Any] | None) -> bool:
    """Dispatch a new ticket by the system when its rule may; say if it did (never fails)."""
    from hotline.core.errors import DomainError
    from hotline.tickets.operations import apply_action

    reason = reason_to_dispatch(proposal)
    if reason is None:
        return False
    try:
        apply_action(number, {"action": "dispatch", "reason": reason}, AUTO)
    except DomainError as exc:
        db.session.rollback()
        log.warning("auto-dispatch of %s refused: %s", number, exc)
        return False
    return True
