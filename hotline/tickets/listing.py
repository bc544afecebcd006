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

from sqlalchemy import ColumnElement, and_, func, or_, select

from hotline.core.actors import Actor
from hotline.core.errors import FieldError
from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from hotline.tickets.scope import code_prefix, scope_filter

# Beyond this many, a list says "10,000+" (total_capped) instead of counting every row.
COUNT_CAP = 10000
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
    return or_(Ticket.created_at < at, and_(Ticket.created_at == at, Ticket.id < ticket_id))


def conditions(actor: Actor, args: dict[str, Any]) -> list[Any]:
    """Return the WHERE conditions of the list: the actor's scope and the filters asked for."""
    where: list[Any] = [scope_filter(actor)]
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


def capped_count(where: list[Any]) -> tuple[int, bool]:
    """Count the matching tickets up to COUNT_CAP; say whether there are more."""
    sample = select(Ticket.id).where(*where).limit(COUNT_CAP + 1).subquery()
    n = db.session.scalar(select(func.count()).select_from(sample)) or 0
    return min(n, COUNT_CAP), n > COUNT_CAP


def ticket_page(actor: Actor, args: dict[str, Any], search: Any = None) -> dict[str, Any]:
    """Return one page of the list (newest first): tickets, total (capped) and the next cursor.

    ``search`` (lent by the search package) adds its filters and answers ``q`` with its own
    ranked, capped pager; without ``q`` the list pages here, by ids and cursors.
    """
    page, per_page = args["page"], args["per_page"]
    where = conditions(actor, args)
    if search is not None:
        stmt, searched, pager = search(select(Ticket).where(*where), args)
        if searched:
            rows, total, capped = pager(page, per_page)
            return {"tickets": list(rows), "total": total, "total_capped": capped, "next": None}
        where = [stmt.whereclause]
    order = (Ticket.created_at.desc(), Ticket.id.desc())
    ids = select(Ticket.id).where(*where)
    if args.get("after"):
        ids = ids.where(_after(args["after"]))
    else:
        ids = ids.offset((page - 1) * per_page)
    # Ids first (an index walk, whatever the depth), then only the rows of this page.
    page_ids = list(db.session.scalars(ids.order_by(*order).limit(per_page)))
    tickets = list(
        db.session.scalars(
            select(Ticket)
            .where(Ticket.id.in_(page_ids))
            .order_by(*order)
        )
    ) if page_ids else []  # fmt: skip
    total, capped = capped_count(where)
    nxt = cursor_of(tickets[-1]) if len(tickets) == per_page else None
    return {"tickets": tickets, "total": total, "total_capped": capped, "next": nxt}
