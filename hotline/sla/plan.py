"""Work out, from a ticket's clocks alone, every SLA act of its current round and when it falls due.

Pure functions: the sweep, the per-ticket job and the dry run all share them, and the
database (sla_marks) decides which acts are already done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hotline.calendar.deadlines import DeadlineClock
from hotline.sla.schedule import current_step
from hotline.tickets.models import Ticket

# Bottom to top: a red card moves one level up, each further overdue period one more.
LEVELS_UP = ("community", "township", "district", "city")
CODE_LENGTH = {"city": 4, "district": 6, "township": 9, "community": 12}
LEVEL_BY_LENGTH = {v: k for k, v in CODE_LENGTH.items()}
STEP_LABELS = {"sign": "签收", "resolve": "办结", "followup": "回访"}
LEVEL_LABELS = {
    "community": "社区",
    "township": "街道（乡镇）",
    "district": "区（市）县",
    "city": "市12345中心",
}


@dataclass(frozen=True)
class Act:
    """One SLA act: a yellow warning, a red card, one level up, or the follow-up close."""

    step: str
    kind: str
    level: str
    round: datetime
    due: datetime
    at: datetime
    # An assisting department's part (协办), None for the lead's clock.
    part: int | None = None
    department: str | None = None

    @property
    def mark_step(self) -> str:
        """Return the step as marked: an assisting part's acts carry its id (s#12, r#12)."""
        return self.step if self.part is None else f"{self.step[0]}#{self.part}"

    @property
    def key(self) -> tuple[str, str, str, datetime]:
        """Return the identity the sla_marks UNIQUE constraint guards."""
        return (self.mark_step, self.kind, self.level, self.round)


def unit_level(code: str | None) -> str:
    """Return the level of an org unit from the length of its code."""
    return LEVEL_BY_LENGTH.get(len(code or ""), "city")


def department_level(ticket: Ticket) -> str:
    """Return the level the ticket's clock starts from: its department's."""
    dept = ticket.department
    if dept is not None and dept.level in LEVELS_UP:
        return dept.level
    return unit_level(dept.org_unit_code if dept else ticket.scope_code)


def unit_at(code: str, level: str) -> str:
    """Return the code of the unit at ``level`` above (or at) the unit ``code``."""
    return code[: CODE_LENGTH[level]]


def part_steps(ticket: Ticket) -> list[tuple[Any, str, datetime, datetime]]:
    """Return (part, step, clock start, deadline) of every assisting part's running clock."""
    if ticket.status not in ("dispatched", "accepted", "reviewing"):
        return []
    steps = []
    for part in ticket.parts:
        if part.status == "dispatched" and part.sign_due:
            steps.append((part, "sign", part.dispatched_at, part.sign_due))
        elif part.status == "accepted" and part.signed_at and part.resolve_due:
            steps.append((part, "resolve", part.signed_at, part.resolve_due))
    return steps


def _ladder(
    step: str, start: datetime, due: datetime, level: str, clock: DeadlineClock, **part: Any
) -> list[Act]:
    """Return the warning, the red card and the escalations of one clock round."""
    base = LEVELS_UP.index(level)
    warning_at = start + (due - start) * clock.limits.warning_ratio
    result = [Act(step, "warning", LEVELS_UP[base], due, due, warning_at, **part)]
    result.append(Act(step, "overdue", LEVELS_UP[min(base + 1, 3)], due, due, due, **part))
    period = clock.limits.escalation_period_days
    for k, up in enumerate(LEVELS_UP[base + 2 :], start=1):
        at = clock.calendar.add_working_days(due, k * period, clock.timezone)
        result.append(Act(step, "escalate", up, due, due, at, **part))
    return result


def acts(ticket: Ticket, clock: DeadlineClock) -> list[Act]:
    """List every act of the ticket's current round (and its parts'), in the order they fall due."""
    if ticket.paused_at is not None:
        return []  # 挂起: no warning, red card or escalation until the clock restarts
    result: list[Act] = []
    current = current_step(ticket)
    # The deadline names the round: a new dispatch, a reopen or an approved extension sets a
    # new deadline, and the new deadline gets its own warning and red card.
    if current is not None:
        step, start, due = current
        if step == "followup":
            return [Act(step, "close", "", due, due, due)]
        result += _ladder(step, start, due, department_level(ticket), clock)
    for part, step, start, due in part_steps(ticket):
        dept = part.department
        level = dept.level if dept is not None and dept.level in LEVELS_UP else "city"
        result += _ladder(step, start, due, level, clock, part=part.id, department=dept.code)
    return sorted(result, key=lambda a: a.at)


def pending(
    all_acts: list[Act], done: set[tuple[str, str, str, datetime]], now: datetime
) -> tuple[list[Act], datetime | None]:
    """Split acts into those due now (not yet done) and the moment the next one falls due."""
    todo = [a for a in all_acts if a.key not in done]
    due_now = [a for a in todo if a.at <= now]
    # A yellow warning is pointless once the red card is out: the card says more.
    carded = {(a.part, a.round) for a in all_acts if a.kind != "warning" and a.at <= now}
    due_now = [a for a in due_now if a.kind != "warning" or (a.part, a.round) not in carded]
    later = [a.at for a in todo if a.at > now]
    return due_now, (min(later) if later else None)
