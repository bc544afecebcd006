"""The supervisors' overdue list: open tickets past their sign-for or resolution deadline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, func, literal, literal_column, or_, select, union_all

from hotline.core.actors import Actor
from hotline.core.durations import human_duration
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat
from hotline.org.models import Department
from hotline.sla.plan import LEVELS_UP
from hotline.tickets.models import Ticket
from hotline.tickets.scope import code_prefix, scope_filter

# Rows in one CSV export of the overdue list (the API's and the board's).
CSV_LIMIT = 20000


# The running clock's deadline of an open ticket (used by filters such as 临期).
DUE = case((Ticket.status == "dispatched", Ticket.sign_due), else_=Ticket.resolve_due)
# Where the matter happened: the ticket's place, else the unit of its department.
PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)


def overdue_condition(now: datetime) -> Any:
    """Return the SQL condition of a ticket whose running clock has run out at ``now``."""
    # Literal statuses, not bind parameters: the planner must see they match the partial
    # indexes (hotline/sla/models.py) even in a prepared, generic plan.
    dispatched: Any = literal_column("'dispatched'")
    accepted: Any = literal_column("'accepted'")
    # A paused clock (挂起) is not overdue: its deadline moves on when it restarts.
    return and_(
        Ticket.paused_at.is_(None),
        or_(
            and_(Ticket.status == dispatched, Ticket.signed_at.is_(None), Ticket.sign_due < now),
            and_(Ticket.status == accepted, Ticket.resolved_at.is_(None), Ticket.resolve_due < now),
        ),
    )


# One SELECT per running clock: (status, deadline, the step that stops it, the step's name).
BRANCHES = (
    ("dispatched", Ticket.sign_due, Ticket.signed_at, "sign"),
    ("accepted", Ticket.resolve_due, Ticket.resolved_at, "resolve"),
)


def overdue_branches(*columns: Any, where: Any = (), now: datetime) -> Any:
    """Return the overdue tickets (``columns`` plus ``due`` and ``step``) as a UNION ALL of one
    SELECT per running clock: each reads its partial index alone, in deadline order, and can
    stay in it (index-only, the indexes carry the list's columns), where an OR of the two
    clocks makes PostgreSQL visit every overdue ticket's heap page to sort them.
    """
    parts = [
        select(*columns, due.label("due"), literal(step).label("step")).where(
            Ticket.status == literal_column(f"'{status}'"),
            done.is_(None),
            Ticket.paused_at.is_(None),
            due < now,
            *where,
        )
        for status, due, done, step in BRANCHES
    ]
    return union_all(*parts).subquery("overdue")


def clock_branches(kind: str, now: datetime) -> list[list[Any]]:
    """Return the conditions of each running clock's overdue (or 临期, ``kind`` "due_soon")
    tickets: every one a range of its partial index, which carries the list's columns.
    """
    branches = []
    for status, due, done, _step in BRANCHES:
        where = [Ticket.status == literal_column(f"'{status}'"), done.is_(None)]
        if kind == "overdue":
            where += [Ticket.paused_at.is_(None), due < now]
        else:
            # After the warning the sweep's next moment is the deadline itself; a warning
            # moment passed but not yet swept has sla_next_at <= now.
            where += [now < due, or_(Ticket.sla_next_at <= now, Ticket.sla_next_at >= due)]
        branches.append(where)
    return branches


def list_conditions(actor: Actor, args: dict[str, Any], tally: bool = False) -> list[Any]:
    """Return the scope and the list's filters (``tally``: those the department choices keep:
    scope and function; the others are counted apart by overdue_tally).
    """
    where = [scope_filter(actor)]
    if "function" in args:
        # A semi-join on the few departments of the function keeps each clock's index order.
        functions = select(Department.code).where(Department.function == args["function"])
        where.append(Ticket.department_code.in_(functions))
    return where if tally else where + narrowing(args)


def narrowing(args: dict[str, Any]) -> list[Any]:
    where = []
    if "org_unit" in args:
        # Where the matter happened (the ticket's place), not where the department sits.
        where.append(code_prefix(PLACE, args["org_unit"]))
    if "level" in args:
        where.append(Ticket.escalation_level == args["level"])
    if "department" in args:
        where.append(Ticket.department_code == args["department"])
    return where


def _branches(actor: Actor, args: dict[str, Any], now: datetime, limit: int, extra: Any) -> Any:
    """Return the first ``limit`` overdue tickets of each clock in the list's order, together.

    Each clock's partial index is read in deadline order and left after ``limit`` rows (the
    most and least overdue orders), not read whole and sorted as a union of the two would be.
    """
    parts = []
    for status, due, done, step in BRANCHES:
        columns = {"id": Ticket.id, "due": due, "number": Ticket.number,
                   "escalation_level": Ticket.escalation_level}  # fmt: skip
        branch = (
            select(
                Ticket.id,
                Ticket.number,
                Ticket.type,
                Ticket.urgent,
                Ticket.escalation_level,
                Ticket.department_code,
                due.label("due"),
                literal(step).label("step"),
            )  # fmt: skip
            .where(Ticket.status == literal_column(f"'{status}'"), done.is_(None))
            .where(Ticket.paused_at.is_(None), due < now, *list_conditions(actor, args), *extra)
            .order_by(*list_order(args["sort"], columns.__getitem__))
            .limit(limit)
            .subquery(f"{step}_clock")
        )
        # Wrapped: SQLite takes no ORDER BY or LIMIT in a member of a UNION.
        parts.append(select(*branch.c))
    return union_all(*parts).subquery("overdue")


def slice_rows(
    actor: Actor, args: dict[str, Any], now: datetime, limit: int, offset: int = 0, extra: Any = ()
) -> Any:
    """Return the SELECT of one slice of the list, in the asked order, with matter and address.

    The slice is sorted and cut in the partial indexes alone (the clocks' rows merged in
    order); only then are the departments (plain columns, not entities: the ORM's eager joins
    would multiply the work) and the matter and address read, for the rows of the slice
    alone, in that order, so an export streams.
    """
    cut = overdue_cut(actor, args, now, limit, offset, extra)
    return (
        select(
            cut.c.number,
            cut.c.type,
            cut.c.urgent,
            cut.c.escalation_level,
            Department.code,
            Department.name,
            Department.function,
            Department.level,
            cut.c.step,
            cut.c.due,
            Ticket.description,
            Ticket.address,
        )  # fmt: skip
        .join(Department, Department.code == cut.c.department_code)
        .join(Ticket, Ticket.id == cut.c.id)
        .order_by(*list_order(args["sort"], lambda name: cut.c[name]))
    )


def overdue_cut(
    actor: Actor,
    args: dict[str, Any],
    now: datetime,
    limit: int,
    offset: int,
    extra: Any,
    computed: Callable[[Any], list[Any]] = lambda _sub: [],
) -> Any:
    """Return the slice's overdue tickets (the clocks' rows merged in the list's order), with
    the ``computed(sub)`` columns worked out once per row here (a subquery with a LIMIT is
    not flattened into its caller, which would repeat an expression at each use).
    """
    sub = _branches(actor, args, now, limit + offset, extra)
    order = list_order(args["sort"], lambda name: sub.c[name])
    stmt = select(sub, *computed(sub)).order_by(*order).limit(limit).offset(offset)
    return stmt.subquery("head")


def list_order(sort: str, column: Callable[[str], Any]) -> tuple[Any, ...]:
    """Return the ORDER BY of ``sort`` over the columns ``column(name)`` names."""
    due, key, level = column("due"), column("id"), column("escalation_level")
    rank = case(*((level == name, i) for i, name in enumerate(LEVELS_UP)), else_=-1)
    return {
        "most_overdue": (due.asc(), key),
        "least_overdue": (due.desc(), key.desc()),
        "level": (rank.desc(), due.asc(), key),
        "number": (column("number"),),
    }[sort]


def overdue_item(row: Any, now: datetime, tz: str) -> dict[str, Any]:
    """Return one row of the overdue list (a ticket's clock or an assisting part's) as JSON."""
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
        "description": row.description,
        "address": row.address,
    }


def overdue_rows(actor: Actor, args: dict[str, Any], now: datetime) -> Iterator[Any]:
    """Yield every overdue ticket of the filtered list (up to CSV_LIMIT) as a plain row
    (number, type, urgent, escalation level, department code, step, due, description,
    address), from a server-side cursor a few thousand rows at a time, so an export holds
    one batch in memory, not the whole list.
    """
    cut = overdue_cut(actor, args, now, CSV_LIMIT, 0, ())
    # The departments are named by the caller (a few thousand, read once): joined here, the
    # planner hashes them and sorts the whole export again.
    stmt = (
        select(
            cut.c.number,
            cut.c.type,
            cut.c.urgent,
            cut.c.escalation_level,
            cut.c.department_code,
            cut.c.step,
            cut.c.due,
            Ticket.description,
            Ticket.address,
        )  # fmt: skip
        .join(Ticket, Ticket.id == cut.c.id)
        .order_by(*list_order(args["sort"], lambda name: cut.c[name]))
    )
    # Core rows (no ORM result processing): an export reads them by position.
    connection = db.session.connection().execution_options(yield_per=2000)
    yield from connection.execute(stmt)
