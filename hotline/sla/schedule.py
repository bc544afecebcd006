"""Decide which clock of a ticket runs, and keep its sla_next_at in step with it.

The SLA sweep selects tickets by ``sla_next_at <= now`` on an index, so every change of a
deadline must recompute it here; a sweep job is also scheduled at that moment, for low
latency (the sweep re-checks the ticket's current state, so a stale job does nothing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from hotline.core.context import clock
from hotline.tasks.queues import ESCALATION, enqueue_after_commit
from hotline.tickets.models import Ticket

SWEEP_JOB = "hotline.sla.tasks.sweep"


def init_app(app: Flask) -> None:
    """Let ticket actions that move a clock reschedule the ticket (tickets cannot import sla)."""
    app.extensions["hotline_sla_scheduler"] = schedule_sla


def current_step(ticket: Ticket) -> tuple[str, datetime, datetime] | None:
    """Return (step, clock start, deadline) of the clock now running, if any."""
    t = ticket
    if t.status == "dispatched" and t.dispatched_at and t.sign_due and t.signed_at is None:
        return "sign", t.dispatched_at, t.sign_due
    if t.status == "accepted" and t.signed_at and t.resolve_due and t.resolved_at is None:
        return "resolve", t.signed_at, t.resolve_due
    if t.status in ("resolved", "answered") and t.followup_due and t.closed_at is None:
        return "followup", t.resolved_at or t.followup_due, t.followup_due
    return None


def warning_at(start: datetime | None, due: datetime | None) -> datetime | None:
    """Return when the yellow warning falls due: the configured share of the limit."""
    if start is None or due is None:
        return None
    return start + (due - start) * clock().limits.warning_ratio


def schedule_sla(ticket: Ticket, now: datetime) -> None:
    """Set ``sla_next_at`` to the first moment the sweep has work for this ticket."""
    current = current_step(ticket)
    candidates: list[datetime | None] = []
    if current is not None:
        step, start, due = current
        candidates = [due] if step == "followup" else [warning_at(start, due), due]
    future = [c for c in candidates if c is not None]
    # Past moments stay: the sweep acts on them at once.
    ticket.sla_next_at = min(future) if future else None
    if ticket.sla_next_at is not None and ticket.id is not None:
        enqueue_sweep(ticket.sla_next_at)


def enqueue_sweep(at: datetime) -> None:
    """Schedule an SLA sweep for the second ``at`` falls in, once the transaction commits.

    One job per second, whatever the number of tickets due in it (the job id says which
    second), so a burst of deadlines costs one sweep, not one forked job per ticket. RQ keeps
    whole seconds, so the job is set for the second after ``at`` and never runs early.
    """
    second = at.replace(microsecond=0) + (timedelta(seconds=1) if at.microsecond else timedelta())
    enqueue_after_commit(ESCALATION, SWEEP_JOB, at=second, job_id=f"sla-due-{second:%Y%m%d%H%M%S}")
