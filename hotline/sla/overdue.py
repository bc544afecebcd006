"""The supervisors' overdue list: open tickets past their sign-for or resolution deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, or_, select

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.durations import human_duration
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat
from hotline.org.models import Department
from hotline.sla.plan import LEVELS_UP
from hotline.tickets.models import Ticket
from hotline.tickets.scope import scope_filter

# Rows in one CSV export of the overdue list (the API's and the board's).
CSV_LIMIT = 20000
DUE = case((Ticket.status == "dispatched", Ticket.sign_due), else_=Ticket.resolve_due)
STEP = case((Ticket.status == "dispatched", literal("sign")), else_=literal("resolve"))
LEVEL_RANK = case(
    *((Ticket.escalation_level == name, i) for i, name in enumerate(LEVELS_UP)), else_=-1
)


def overdue_condition(now: datetime) -> Any:
    """Return the SQL condition of a ticket whose running clock has run out at ``now``."""
    # Literal statuses, not bind parameters: the planner must see they match the partial
    # indexes (hotline/sla/models.py) even in a prepared, generic plan.
    dispatched: Any = literal_column("'dispatched'")
    accepted: Any = literal_column("'accepted'")
    return or_(
        and_(Ticket.status == dispatched, Ticket.signed_at.is_(None), Ticket.sign_due < now),
        and_(Ticket.status == accepted, Ticket.resolved_at.is_(None), Ticket.resolve_due < now),
    )


def _filtered(stmt: Any, actor: Actor, args: dict[str, Any], now: datetime) -> Any:
    """Apply the scope, the overdue condition and the list's filters to ``stmt``."""
    stmt = stmt.where(scope_filter(actor), overdue_condition(now))
    if "org_unit" in args:
        stmt = stmt.where(Ticket.scope_code.startswith(args["org_unit"], autoescape=True))
    if "level" in args:
        stmt = stmt.where(Ticket.escalation_level == args["level"])
    if "function" in args:
        stmt = stmt.where(Department.function == args["function"])
    if "department" in args:
        stmt = stmt.where(Ticket.department_code == args["department"])
    return stmt


def _columns() -> Any:
    # Plain columns, not entities: the ORM's eager joins (place, department's unit) would
    # multiply the work of a list that only shows these fields.
    return select(
        Ticket.number,
        Ticket.type,
        Ticket.urgent,
        Ticket.escalation_level,
        Department.code,
        Department.name,
        Department.function,
        Department.level,
        STEP.label("step"),
        DUE.label("due"),
    ).join(Department, Department.code == Ticket.department_code)


def _order(sort: str) -> tuple[Any, ...]:
    return {
        "most_overdue": (DUE.asc(), Ticket.id),
        "least_overdue": (DUE.desc(), Ticket.id.desc()),
        "level": (LEVEL_RANK.desc(), DUE.asc(), Ticket.id),
        "number": (Ticket.number,),
    }[sort]


def _item(row: Any, now: datetime, tz: str) -> dict[str, Any]:
    seconds = int((now - row.due).total_seconds())
    return {
        "number": row.number,
        "type": row.type,
        "urgent": row.urgent,
        "department": {
            "code": row.code,
            "name": row.name,
            "function": row.function,
            "level": row.level,
        },
        "step": row.step,
        "due": isoformat(row.due, tz),
        "overdue_seconds": seconds,
        "overdue_human": human_duration(seconds),
        "escalation_level": row.escalation_level,
    }


def overdue_page(
    actor: Actor, args: dict[str, Any], now: datetime
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the overdue tickets ``actor`` may see, and how many there are."""
    stmt = _filtered(_columns(), actor, args, now)
    # The count needs the department only to filter by function (the foreign key holds).
    count = select(func.count(Ticket.id))
    if "function" in args:
        count = count.join(Department, Department.code == Ticket.department_code)
    total = db.session.scalar(_filtered(count, actor, args, now))
    page, per_page = args["page"], args["per_page"]
    rows = db.session.execute(
        stmt.order_by(*_order(args["sort"])).limit(per_page).offset((page - 1) * per_page)
    ).all()
    tz = settings().timezone
    return [_item(row, now, tz) for row in rows], total or 0


def overdue_stream(actor: Actor, args: dict[str, Any], now: datetime) -> Iterator[dict[str, Any]]:
    """Yield every overdue ticket of the filtered list (up to CSV_LIMIT), a thousand rows at a
    time from the database, so an export holds one batch in memory, not the whole list.
    """
    stmt = _filtered(_columns(), actor, args, now).order_by(*_order(args["sort"]))
    tz = settings().timezone
    result = db.session.execute(stmt.limit(CSV_LIMIT).execution_options(yield_per=1000))
    for row in result:
        yield _item(row, now, tz)
