"""Work out, from a ticket's clocks alone, every SLA act of its current round and when it falls due.

Pure functions: the sweep, the per-ticket job and the dry run all share them, and the
database (sla_marks) decides which acts are already done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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

    @property
    def key(self) -> tuple[str, str, str, datetime]:
        """Return the identity the sla_marks UNIQUE constraint guards."""
        return (self.step, self.kind, self.level, self.round)


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


def acts(ticket: Ticket, clock: DeadlineClock) -> list[Act]:
    """List every act of the ticket's current round, in the order they fall due."""
    current = current_step(ticket)
    if current is None:
        return []
    step, start, due = current
    # The deadline names the round: a new dispatch, a reopen or an approved extension sets a
    # new deadline, and the new deadline gets its own warning and red card.
    if step == "followup":
        return [Act(step, "close", "", due, due, due)]
    base = LEVELS_UP.index(department_level(ticket))
    warning_at = start + (due - start) * clock.limits.warning_ratio
    result = [Act(step, "warning", LEVELS_UP[base], due, due, warning_at)]
    result.append(Act(step, "overdue", LEVELS_UP[min(base + 1, 3)], due, due, due))
    period = clock.limits.escalation_period_days
    for k, level in enumerate(LEVELS_UP[base + 2 :], start=1):
        at = clock.calendar.add_working_days(due, k * period, clock.timezone)
        result.append(Act(step, "escalate", level, due, due, at))
    return result


def pending(
    all_acts: list[Act], done: set[tuple[str, str, str, datetime]], now: datetime
) -> tuple[list[Act], datetime | None]:
    """Split acts into those due now (not yet done) and the moment the next one falls due."""
    todo = [a for a in all_acts if a.key not in done]
    due_now = [a for a in todo if a.at <= now]
    # A yellow warning is pointless once the red card is out: the card says more.
    if any(a.kind != "warning" and a.at <= now for a in all_acts):
        due_now = [a for a in due_now if a.kind != "warning"]
    later = [a.at for a in todo if a.at > now]
    return due_now, (min(later) if later else None)
