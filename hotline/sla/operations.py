"""Run the SLA sweep: warnings, red cards, escalations and follow-up closes, exactly once each.

Every act inserts an ``sla_marks`` row (INSERT … ON CONFLICT DO NOTHING) in the same
transaction as its timeline event; a duplicate attempt inserts nothing and does nothing.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from hotline.core.actors import SYSTEM
from hotline.core.context import clock, settings
from hotline.core.durations import human_duration
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat, utcnow
from hotline.notifications.operations import queue_message
from hotline.sla import plan
from hotline.sla.models import SlaMark
from hotline.sla.schedule import enqueue_sweep, schedule_sla
from hotline.tickets.models import Ticket
from hotline.tickets.states import check
from hotline.tickets.timeline import add_event
from hotline.users.models import User

BATCH_SIZE = 500
CHECK_BATCH = 100


def _is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _claim(act: plan.Act, ticket_id: int, now: datetime) -> bool:
    """Insert the act's mark; return False when another run already did it."""
    dialect = postgresql if _is_postgres() else sqlite
    stmt = (
        dialect.insert(SlaMark)
        .values(
            ticket_id=ticket_id,
            step=act.step,
            kind=act.kind,
            level=act.level,
            round=act.round,
            due=act.due,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(SlaMark.id)
    )
    # RETURNING, not rowcount: the ORM insert path does not report rowcount reliably.
    return db.session.execute(stmt).scalar() is not None


def _done_marks(ids: list[int]) -> dict[int, set[tuple[str, str, str, datetime]]]:
    rows = db.session.execute(
        select(SlaMark.ticket_id, SlaMark.step, SlaMark.kind, SlaMark.level, SlaMark.round).where(
            SlaMark.ticket_id.in_(ids)
        )
    )
    done: dict[int, set[tuple[str, str, str, datetime]]] = {i: set() for i in ids}
    for ticket_id, *key in rows:
        done[ticket_id].add(tuple(key))  # type: ignore[arg-type]
    return done


def _supervisor_phones(unit_code: str, cache: dict[str, list[tuple[int, str]]]) -> list:
    if unit_code not in cache:
        cache[unit_code] = list(
            db.session.execute(
                select(User.id, User.phone).where(
                    User.role == "supervisor",
                    User.active.is_(True),
                    User.org_unit_code == unit_code,
                    User.phone.is_not(None),
                )
            )
        )
    return cache[unit_code]


def _notify(ticket: Ticket, act: plan.Act, data: dict[str, Any], cache: dict) -> None:
    """Tell the department's duty phone and, from the red card on, the level's supervisors."""
    tz = settings().timezone
    step = plan.STEP_LABELS[act.step]
    if act.kind == "warning":
        body = f"【12345黄牌预警】工单 {ticket.number} 须于 {isoformat(act.due, tz)} 前{step}，请抓紧办理。"
    else:
        label = "红牌" if act.kind == "overdue" else "督办升级"
        body = (
            f"【12345{label}】工单 {ticket.number} {step}已超时{data['overdue_human']}"
            f"（期限 {isoformat(act.due, tz)}），已升级至{plan.LEVEL_LABELS[act.level]}督办。"
        )
    key = f"sla:{ticket.id}:{act.step}:{act.kind}:{act.level}:{act.round:%Y%m%d%H%M%S}"
    dept = ticket.department
    if dept is not None and dept.duty_phone:
        queue_message(f"sla_{act.kind}", dept.duty_phone, body, f"{key}:dept", ticket.id)
    if act.kind == "warning" or dept is None:
        return
    unit = plan.unit_at(dept.org_unit_code, act.level)
    for user_id, phone in _supervisor_phones(unit, cache):
        queue_message(f"sla_{act.kind}", phone, body, f"{key}:u{user_id}", ticket.id)


def _describe(ticket: Ticket, act: plan.Act, now: datetime) -> dict[str, Any]:
    overdue = (now - act.due).total_seconds()
    data: dict[str, Any] = {
        "step": act.step,
        "level": act.level,
        "due": isoformat(act.due, settings().timezone),
        "overdue_seconds": max(int(overdue), 0),
        "overdue_human": human_duration(overdue),
    }
    if act.kind == "warning":
        data["remaining_seconds"] = max(int(-overdue), 0)
    return data


def _close(ticket: Ticket, now: datetime) -> None:
    """Close a resolved or answered ticket whose follow-up window passed unrated."""
    before = ticket.status
    check("close", before, SYSTEM.role)
    ticket.closed_at = now
    ticket.followup_due = None
    ticket.status = "closed"
    ticket.updated_at = now
    schedule_sla(ticket, now)
    add_event(
        ticket,
        "close",
        SYSTEM,
        {"reason": "followup_expired", "rated": ticket.rating is not None},
        before,
        "closed",
        now,
        public=True,
    )


def _apply(ticket: Ticket, act: plan.Act, now: datetime, cache: dict) -> dict[str, Any] | None:
    """Do one act unless its mark exists; return what was done."""
    if not _claim(act, ticket.id, now):
        return None
    if act.kind == "close":
        _close(ticket, now)
        return {"number": ticket.number, "kind": "close", "step": act.step}
    data = _describe(ticket, act, now)
    add_event(ticket, act.kind, SYSTEM, data, ticket.status, ticket.status, now)
    _notify(ticket, act, data, cache)
    return {"number": ticket.number, "kind": act.kind, **data}


def _raise_level(current: str | None, new: str) -> str:
    if current in plan.LEVELS_UP and plan.LEVELS_UP.index(current) >= plan.LEVELS_UP.index(new):
        return current  # type: ignore[return-value]
    return new


def process(tickets: list[Ticket], now: datetime, dry_run: bool = False) -> list[dict[str, Any]]:
    """Do every act now due for ``tickets`` and move each one's ``sla_next_at`` on."""
    done = _done_marks([t.id for t in tickets])
    the_clock = clock()
    cache: dict[str, list[tuple[int, str]]] = {}
    report: list[dict[str, Any]] = []
    # No autoflush: the batch's events are written together at commit, not one per statement.
    with db.session.no_autoflush:
        for ticket in tickets:
            report += _process_one(ticket, done[ticket.id], the_clock, now, dry_run, cache)
    return report


def _process_one(
    ticket: Ticket, done: set, the_clock: Any, now: datetime, dry_run: bool, cache: dict
) -> list[dict[str, Any]]:
    """Do the acts due for one ticket; return what was done (or, dry, would be)."""
    report: list[dict[str, Any]] = []
    due_now, next_at = plan.pending(plan.acts(ticket, the_clock), done, now)
    if dry_run:
        return [
            {"number": ticket.number, "kind": a.kind, **_describe(ticket, a, now)} for a in due_now
        ]
    level, count, closed = ticket.escalation_level, ticket.escalation_count, False
    for act in due_now:
        result = _apply(ticket, act, now, cache)
        if result is None:
            continue
        report.append(result)
        closed = closed or act.kind == "close"
        if act.kind in ("overdue", "escalate"):
            level, count = _raise_level(level, act.level), count + 1
    if closed:
        return report  # the close went through the ORM and rescheduled the ticket
    values: dict[str, Any] = {"sla_next_at": next_at}
    if count != ticket.escalation_count:
        values |= {"escalation_level": level, "escalation_count": count}
    # A Core UPDATE leaves the version alone: an agent signing now gets no false 409.
    db.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if next_at is not None:
        enqueue_sweep(next_at)
    return report


def _due_batch(at: datetime, after: tuple[datetime, int] | None, size: int, lock: bool) -> list:
    stmt = select(Ticket.sla_next_at, Ticket.id).where(Ticket.sla_next_at <= at)
    if after is not None:
        stmt = stmt.where(tuple_(Ticket.sla_next_at, Ticket.id) > tuple_(*after))
    stmt = stmt.order_by(Ticket.sla_next_at, Ticket.id).limit(size)
    if lock and _is_postgres():
        # Two workers split the work: each skips the rows the other has locked.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.execute(stmt))


def sweep(
    at: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
) -> dict[str, Any]:
    """Act on every ticket with ``sla_next_at <= at``, one committed batch at a time."""
    at = at or utcnow()
    started = time.perf_counter()
    report: list[dict[str, Any]] = []
    checked, after, batches = 0, None, 0
    while max_batches is None or batches < max_batches:
        batches += 1
        rows = _due_batch(at, after, batch_size, lock=not dry_run)
        if not rows:
            db.session.rollback()
            break
        after = (rows[-1][0], rows[-1][1])
        tickets = list(
            db.session.scalars(select(Ticket).where(Ticket.id.in_([r[1] for r in rows])))
        )
        checked += len(tickets)
        report += process(sorted(tickets, key=lambda t: t.id), at, dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        if len(rows) < batch_size:
            break
    return {
        "at": isoformat(at, settings().timezone),
        "dry_run": dry_run,
        "checked": checked,
        "acts": report,
        "seconds": round(time.perf_counter() - started, 3),
    }


def check_ticket(ticket_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """Do what is due for one ticket (its per-deadline job); a stale job does nothing."""
    now = now or utcnow()
    next_at = db.session.scalar(select(Ticket.sla_next_at).where(Ticket.id == ticket_id))
    # RQ schedules to the whole second: wait out a job that woke a moment early.
    if next_at is not None and timedelta(0) < next_at - now < timedelta(seconds=2):
        db.session.rollback()
        time.sleep((next_at - now).total_seconds())
        now = utcnow()
    stmt = select(Ticket).where(Ticket.id == ticket_id, Ticket.sla_next_at <= now)
    if _is_postgres():
        # Only the ticket row: its eager outer joins cannot be locked.
        stmt = stmt.with_for_update(skip_locked=True, of=Ticket)
    ticket = db.session.scalar(stmt)
    if ticket is None:
        db.session.rollback()
        return []
    report = process([ticket], now)
    db.session.commit()
    # Deadlines come in bursts: take along whatever else is due, so a queue of per-ticket
    # jobs does not pile up behind one another (the rest then find nothing to do).
    return report + sweep(now, batch_size=CHECK_BATCH, max_batches=1)["acts"]
