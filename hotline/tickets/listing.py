"""The staff ticket list at a city's scale: capped counts, keyset pages, index-friendly filters.

A year of a big city is millions of tickets, so the list never counts an unbounded set (the
total stops at COUNT_CAP and says so), deep pages walk an index of ids rather than the rows
they skip, and ``after`` (the ``next`` of the previous page) reads any depth at the cost of a
first page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, not_, or_, select, tuple_, union_all

from hotline.core.actors import Actor
from hotline.core.errors import FieldError
from hotline.core.extensions import db
from hotline.core.permissions import ticket_scope
from hotline.core.timeutil import utcnow
from hotline.org.models import OrgUnit
from hotline.tickets.models import Ticket, TicketPart
from hotline.tickets.scope import code_prefix, listed_scope, scope_filter

# Beyond this many, a list says "10,000+" (total_capped) instead of counting every row.
COUNT_CAP = 10000
# An estimate this many times the cap is trusted to mean "more than the cap" (see capped_count).
ESTIMATE_TRUST = 3
# A township's code (9 digits) and a community's (12): places small enough to sort.
AREA_LENGTH = 9
# From this many rows skipped, a place's page is sorted from its own indexes (area_streams).
AREA_DEPTH = 1000
NUMBER = re.compile(r"^\d{8}-\d{6}$")
EPOCH = datetime(1970, 1, 1)


def cursor_of(ticket: Ticket) -> str:
    """Return the keyset cursor just past ``ticket`` in the newest-first order."""
    micros = (ticket.created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{ticket.id}"


def _after(cursor: str) -> ColumnElement[bool]:
    try:
        micros, ticket_id = (int(part) for part in cursor.split("."))
    except ValueError:
        raise FieldError("after", "not a cursor from a previous page's next") from None
    at = EPOCH + timedelta(microseconds=micros)
    # A row comparison, not an OR of two: the database starts the index walk right there.
    return tuple_(Ticket.created_at, Ticket.id) < tuple_(at, ticket_id)


def conditions(actor: Actor | None, args: dict[str, Any]) -> list[Any]:
    """Return the WHERE conditions of the list: the actor's scope (unless None) and the filters."""
    where: list[Any] = [] if actor is None else [scope_filter(actor)]
    for key, column in (
        ("status", Ticket.status),
        ("type", Ticket.type),
        ("channel", Ticket.channel),
        ("department", Ticket.department_code),
        ("urgent", Ticket.urgent),
    ):
        if key in args:
            where.append(column == args[key])
    if "org_unit" in args:
        code = args["org_unit"]
        where.append(
            or_(code_prefix(Ticket.org_unit_code, code), code_prefix(Ticket.scope_code, code))
        )
    return where


def area_streams(args: dict[str, Any]) -> tuple[list[list[Any]], list[list[Any]]] | None:
    """Split the list of a township or community into disjoint streams to page, each in date
    order: placed at each of its org units, and handled there but placed elsewhere (or
    nowhere); and into the two halves to count (placed there, elsewhere). None for a wider
    area or none, and for a text search (it pages itself, with the place's filter).

    A township holds under 1% of a city's tickets: walking the city's newest-first index to
    its page 200 skips millions of entries, and sorting all the place's tickets costs what its
    history holds. One stream per org unit (the township, each community) reads the newest of
    that unit from its index, and the database merges them: a page costs its depth, whatever
    the history. A district, a tenth of the city, keeps the walk at any depth: it meets its
    rows quickly.
    """
    code = args.get("org_unit")
    if code is None or len(code) < AREA_LENGTH or args.get("after") or "q" in args:
        return None
    if (args["page"] - 1) * args["per_page"] < AREA_DEPTH:
        return None  # a first page, or a cursor's next: the walk meets its rows soon enough
    # Every unit a ticket can be placed at (the foreign key keeps org_unit_code among them).
    units = db.session.scalars(select(OrgUnit.code).where(code_prefix(OrgUnit.code, code)))
    placed = code_prefix(Ticket.org_unit_code, code)
    elsewhere = or_(Ticket.org_unit_code.is_(None), not_(placed))
    handled = [code_prefix(Ticket.scope_code, code), elsewhere]
    # Counted in two halves: the planner's estimate of each stream costs a round trip.
    return [*([Ticket.org_unit_code == unit] for unit in sorted(units)), handled], [
        [placed],
        handled,
    ]


def streams(
    actor: Actor,
    where: list[Any],
    bases: list[list[Any]] | None = None,
    areas: list[list[Any]] | None = None,
) -> list[Select[Any]]:
    """Return the SELECTs of (id, created_at) whose union is the actor's filtered list.

    A department sees what it leads or assists (协办). As one ``lead OR id IN (parts)``
    condition no index serves the newest-first order, and a deep page walks the whole table;
    as two disjoint streams, each ordered by its own index, the database merges them.
    ``bases`` splits the list further (one stream per running clock for overdue and 临期),
    and ``areas`` (area_streams) by where the tickets are placed.
    """
    kind, code = ticket_scope(actor)
    if kind != "department" or code is None:
        scopes = [[listed_scope(actor)]]
    else:
        parts = select(TicketPart.ticket_id).where(
            TicketPart.department_code == code, TicketPart.status != "withdrawn"
        )
        assisted = [
            Ticket.id.in_(parts),
            or_(Ticket.department_code != code, Ticket.department_code.is_(None)),
        ]
        scopes = [[Ticket.department_code == code], assisted]
    return [
        select(Ticket.id, Ticket.created_at).where(*base, *area, *scope, *where)  # type: ignore[misc]
        for base in (bases or [[]])
        for area in (areas or [[]])
        for scope in scopes
    ]


def estimated_rows(stmt: Select[Any]) -> float | None:
    """Return the planner's estimate of the rows of ``stmt`` (PostgreSQL), else None."""
    # The connection the statement itself would use (a read replica, when the list reads one).
    connection = db.session.connection(bind_arguments={"clause": stmt})
    if connection.dialect.name != "postgresql":
        return None
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
    return float(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def capped_count(parts: list[Select[Any]]) -> tuple[int, bool]:
    """Count the listed tickets up to COUNT_CAP; say whether there are more.

    Even capped, a count walks COUNT_CAP matching rows, and a filter no index serves (a
    district, a type) finds them among many more; when the planner expects well over the
    cap, the list says "10,000+" from its estimate without counting.
    """
    estimates = [estimated_rows(p) for p in parts]
    if None not in estimates and sum(e or 0 for e in estimates) > ESTIMATE_TRUST * COUNT_CAP:
        return COUNT_CAP, True
    # Each stream capped in its own subquery (SQLite allows no LIMIT inside a UNION's arms).
    limited = [p.with_only_columns(Ticket.id).limit(COUNT_CAP + 1).subquery() for p in parts]
    sample: Any = limited[0]
    if len(limited) > 1:
        sample = union_all(*(select(x.c.id) for x in limited)).subquery()
    n = db.session.scalar(select(func.count()).select_from(sample)) or 0
    return min(n, COUNT_CAP), n > COUNT_CAP


def _page_ids(parts: list[Select[Any]], args: dict[str, Any], merge: bool = False) -> list[int]:
    """Return the ids of one page, newest first: an index walk whatever the depth.

    ``merge``: each stream is cut to the page's end in its own newest-first order first. The
    database merges sorted subqueries (Merge Append) and reads each only as far as the page
    needs; plain streams whose order comes from an equality on an index's first column (a
    unit's code) it would read whole and sort.
    """
    page, per_page = args["page"], args["per_page"]
    if args.get("after"):
        parts = [p.where(_after(args["after"])) for p in parts]
    order = (Ticket.created_at.desc(), Ticket.id.desc())
    if len(parts) == 1:
        stmt = parts[0].with_only_columns(Ticket.id).order_by(*order)
    else:
        if merge:
            end = page * per_page
            cut = [p.order_by(*order).limit(end).subquery() for p in parts]
            parts = [select(c.c.id, c.c.created_at) for c in cut]
        merged = union_all(*parts).subquery()
        stmt = select(merged.c.id).order_by(merged.c.created_at.desc(), merged.c.id.desc())
    if not args.get("after"):
        stmt = stmt.offset((page - 1) * per_page)
    return list(db.session.scalars(stmt.limit(per_page)))


def ticket_page(
    actor: Actor, args: dict[str, Any], search: Any = None, clocks: Any = None
) -> dict[str, Any]:
    """Return one page of the list (newest first): tickets, total (capped) and the next cursor.

    ``search`` (lent by the search package) adds its filters and answers ``q`` with its own
    ranked, capped pager; without ``q`` the list pages here, by ids and cursors. ``clocks``
    (lent by the SLA package: hotline.sla.overdue.clock_branches) reads the overdue and 临期
    filters from the open work's partial indexes.
    """
    # A township's deep page reads the place from its streams, which replace its filter.
    areas = area_streams(args)
    where = conditions(None, args if areas is None else _without(args, "org_unit"))
    bases = None
    clock = next((k for k in ("overdue", "due_soon") if args.get(k)), None)
    if clock is not None and clocks is not None and search is not None and "q" not in args:
        # A few open tickets among millions: read from the open work's partial indexes.
        bases = clocks(clock, utcnow())
        args = _without(args, clock)
    if search is not None:
        # The scope is added per stream below, except to a text search, which pages itself.
        unscoped = "q" not in args
        stmt, searched, pager = search(
            select(Ticket).where(*where)
            if unscoped
            else select(Ticket).where(scope_filter(actor), *where),
            args,
            actor,
        )
        if searched:
            rows, total, capped = pager(args["page"], args["per_page"])
            return {"tickets": list(rows), "total": total, "total_capped": capped, "next": None}
        where = [] if stmt.whereclause is None else [stmt.whereclause]
    parts = streams(actor, where, bases, areas[0] if areas else None)
    page_ids = _page_ids(parts, args, merge=areas is not None)
    order = (Ticket.created_at.desc(), Ticket.id.desc())
    tickets = list(
        db.session.scalars(select(Ticket).where(Ticket.id.in_(page_ids)).order_by(*order))
    ) if page_ids else []  # fmt: skip
    total, capped = capped_count(streams(actor, where, bases, areas[1]) if areas else parts)
    nxt = cursor_of(tickets[-1]) if len(tickets) == args["per_page"] else None
    return {"tickets": tickets, "total": total, "total_capped": capped, "next": nxt}


def _without(args: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k != key}
