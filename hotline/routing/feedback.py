"""Keep routing_feedback in step with the timeline: every correction becomes a labelled example.

The timeline stays the source of truth. A before-flush hook folds each new ``route``,
``reroute``, ``dispatch``, ``return``, ``transfer`` or ``recall`` event into its ticket's
feedback row in the same transaction, whichever code path wrote the event; ``rebuild`` folds
the whole history again (after an import, or for tickets older than the table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.routing.models import RoutingFeedback
from hotline.tickets.models import Ticket, TicketEvent

AUTO_ACTOR = "system/auto-dispatch"
PROPOSALS = ("route", "reroute")
TRACKED = (*PROPOSALS, "dispatch", "return", "transfer", "recall")
DepartmentOf = Callable[[str], tuple[str | None, str | None]]
_COLUMNS = tuple(RoutingFeedback.__table__.columns)


def is_fallback(proposal: dict[str, Any]) -> bool:
    """Tell whether a proposal came from the statistical fallback rather than a rule."""
    if proposal.get("fallback"):
        return True
    return any(step.get("step") == "fallback" for step in proposal.get("trace") or [])


def fold(
    row: RoutingFeedback | None,
    action: str,
    data: dict[str, Any],
    actor: str,
    at: datetime,
    department_of: DepartmentOf,
) -> RoutingFeedback | None:
    """Apply one timeline event to a ticket's feedback row; return the (maybe new) row."""
    if action in PROPOSALS:
        row = row or RoutingFeedback()
        if row.dispatched_at is None:  # later proposals do not rewrite what was judged
            row.rule = data.get("rule")
            row.function = data.get("function")
            row.level = data.get("level")
            row.proposed_department = (data.get("department") or {}).get("code")
            row.ruleset_version = data.get("ruleset_version")
            confidence = data.get("confidence")
            row.confidence = float(confidence) if confidence is not None else None
            row.fallback = is_fallback(data)
            row.proposed_at = at
        return row
    if row is None and not (action == "dispatch" and data.get("proposed")):
        return None  # no proposal was ever made: nothing to learn
    if row is None:
        row = RoutingFeedback(rule=data.get("rule"), proposed_department=data["proposed"])
        row.ruleset_version = data.get("ruleset_version")
        row.proposed_at = at
        row.function, row.level = department_of(data["proposed"])
    if action == "dispatch":
        if row.dispatched_at is None:
            row.dispatched_at = at
            row.dispatched_department = data.get("department")
            override = data.get("override")
            if override is None:
                override = data.get("department") != row.proposed_department
            row.as_proposed = not override
            row.auto = actor == AUTO_ACTOR
            row.reason = data.get("reason")
        _final(row, data.get("department"), department_of)
    elif row.dispatched_at is not None:  # return, transfer, recall of a dispatched ticket
        if not row.corrected:
            row.corrected, row.correction, row.corrected_at = True, action, at
        _final(row, data.get("department") if action == "transfer" else None, department_of)
    return row


def _final(row: RoutingFeedback, code: str | None, department_of: DepartmentOf) -> None:
    row.final_department = code
    row.final_function, row.final_level = department_of(code) if code else (None, None)


def _department_of(session: Session) -> DepartmentOf:
    def lookup(code: str) -> tuple[str | None, str | None]:
        department = session.get(Department, code)
        return (department.function, department.level) if department else (None, None)

    return lookup


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Fold the events about to be written into their tickets' feedback rows."""
    events = [o for o in session.new if isinstance(o, TicketEvent) and o.action in TRACKED]
    if not events:
        return
    rows: dict[int, RoutingFeedback | None] = {}
    lookup = _department_of(session)
    with session.no_autoflush:
        for item in events:
            ticket = item.ticket
            if ticket is None and item.ticket_id is not None:
                ticket = session.get(Ticket, item.ticket_id)
            if ticket is None:
                continue
            key = id(ticket)
            if key not in rows:
                rows[key] = (
                    session.scalar(
                        select(RoutingFeedback).where(RoutingFeedback.ticket_id == ticket.id)
                    )
                    if ticket.id is not None
                    else None
                )
            before = rows[key]
            row = fold(before, item.action, item.data or {}, item.actor, item.at, lookup)
            if row is not None and before is None:
                row.ticket = ticket
                session.add(row)
            rows[key] = row


def record_intake(ticket_id: int, proposal: dict[str, Any], at: datetime) -> None:
    """Write a new ticket's feedback row: intake INSERTs its events as rows, unseen by the hook."""
    values = intake_values(proposal, at) | {"ticket_id": ticket_id}
    db.session.execute(RoutingFeedback.__table__.insert(), values)


def intake_values(proposal: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Return the columns of a new ticket's feedback row but its ticket_id."""
    # fold() on a plain object: the same rules without building (and instrumenting) a model row;
    # a proposal always starts a row.
    blank: Any = SimpleNamespace(dispatched_at=None)
    row = fold(blank, "route", proposal, AUTO_ACTOR, at, _no_lookup)
    # Unset attributes are left out, so the columns' defaults apply.
    return {c.key: v for c in _COLUMNS if (v := getattr(row, c.key, None)) is not None}


def _no_lookup(_code: str) -> tuple[str | None, str | None]:
    return None, None


def install() -> None:
    """Listen on every session once (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def rebuild(batch: int = 2000) -> int:
    """Recompute every feedback row from the timeline; return how many rows now exist."""
    db.session.execute(delete(RoutingFeedback))
    departments = {
        code: (function, level)
        for code, function, level in db.session.execute(
            select(Department.code, Department.function, Department.level)
        )
    }

    def lookup(code: str) -> tuple[str | None, str | None]:
        return departments.get(code, (None, None))

    events = db.session.execute(
        select(
            TicketEvent.ticket_id,
            TicketEvent.action,
            TicketEvent.data,
            TicketEvent.actor,
            TicketEvent.at,
        )
        .where(TicketEvent.action.in_(TRACKED))
        .order_by(TicketEvent.ticket_id, TicketEvent.id)
        .execution_options(yield_per=batch)
    )
    current: tuple[int, RoutingFeedback | None] | None = None
    pending: list[RoutingFeedback] = []
    for ticket_id, action, data, actor, at in events:
        if current is None or current[0] != ticket_id:
            if current is not None and current[1] is not None:
                pending.append(current[1])
            current = (ticket_id, None)
        row = fold(current[1], action, data or {}, actor, at, lookup)
        if row is not None:
            row.ticket_id = ticket_id
        current = (ticket_id, row)
    if current is not None and current[1] is not None:
        pending.append(current[1])
    # The hook must not fold these again: they are rows, not events.
    db.session.add_all(pending)
    db.session.commit()
    return len(pending)


def labelled_examples(limit: int | None = None) -> list[tuple[str, str]]:
    """Return (text, "function@level") of the latest tickets whose owner is known."""
    stmt = (
        select(Ticket.description, RoutingFeedback.final_function, RoutingFeedback.final_level)
        .join(Ticket, Ticket.id == RoutingFeedback.ticket_id)
        .where(RoutingFeedback.final_function.is_not(None))
        .order_by(RoutingFeedback.dispatched_at.desc(), RoutingFeedback.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return [(text, f"{function}@{level}") for text, function, level in db.session.execute(stmt)]
