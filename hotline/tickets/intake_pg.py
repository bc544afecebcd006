"""PostgreSQL intake in one statement: ticket, events, trace, routing feedback and receipt.

Data-modifying CTEs hang off the ticket's INSERT (its id and number from RETURNING), so a
ticket costs one round trip whatever comes with it; the per-phone SMS limit, the opt-out and
the rule's auto-dispatch switch are read by the same statement. The SQL text depends only on
which columns are set, so it is built once per shape and psycopg prepares it on the server.
``exec_driver_sql`` runs it in the session's transaction and turns driver errors into
SQLAlchemy's (callers catch IntegrityError for a retried webhook's unique source_ref).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Table

from hotline.core.config import compact_json
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.notifications.inline import Queued, message_cte
from hotline.tickets import notices
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.numbers import day_sequence

# Receipt bodies are built around this, then split: the statement puts the number in between.
_MARK = "\ufffe"
# The day's next number, e.g. 20261126-000123; the sequence comes as a parameter (regclass).
_NUMBER = "%(n_day)s || lpad(nextval(%(n_seq)s::regclass)::text, 6, '0')"


@dataclass(frozen=True)
class Written:
    """What the statement made: the ticket's id and number, its receipt and its rule's switch."""

    id: int
    number: str
    switch: bool
    receipt: Queued | None


def write(
    ticket: Ticket,
    values: dict[str, Any],
    events: list[dict[str, Any]],
    proposal: dict[str, Any] | None,
    router: Any,
    now: datetime,
) -> Written:
    """Write the new ticket and everything that comes with it in one statement."""
    seq, day = day_sequence(now, settings().timezone)
    params: dict[str, Any] = {"n_seq": seq, "n_day": f"{day}-"}
    parts = [_insert("t", Ticket.__table__, values, params, "", "number", _NUMBER)]
    for i, event in enumerate(events):
        parts.append(_insert(f"e{i}", TicketEvent.__table__, event, params, "t"))
    if proposal is not None and proposal.get("trace"):
        params["tr_trace"] = compact_json(proposal["trace"])
        parts.append(
            "tr AS (INSERT INTO ticket_traces (ticket_id, trace)"
            " SELECT t.id, %(tr_trace)s::json FROM t)"
        )
    switch_sql = "NULL::boolean"
    if proposal is not None and router is not None:
        table, row = router.intake_feedback(ticket.routing, now)
        parts.append(_insert("f", table, row, params, "t"))
        params["a_rule"] = proposal.get("rule")
        switch = router.switch_table
        switch_sql = f"(SELECT enabled FROM {switch.name} WHERE rule = %(a_rule)s)"
    body = notices.receipt_body(ticket, _MARK)
    receipt = "NULL::integer, NULL::text, NULL::text"
    if body is not None:
        sql, more = message_cte("resident_receipt", ticket.phone, body.split(_MARK),
                                "receipt:", now)  # fmt: skip
        parts.append(sql)
        params |= more
        receipt = "(SELECT id FROM o), (SELECT state FROM o), (SELECT last_error FROM o)"
    sql = f"WITH {', '.join(parts)} SELECT t.id, t.number, {switch_sql}, {receipt} FROM t"
    row = db.session.connection().exec_driver_sql(sql, params).one()
    queued = None
    if body is not None:
        queued = Queued(row[3], row[4], row[5], "resident_receipt", ticket.phone)
    return Written(row[0], row[1], bool(row[2]), queued)


def _insert(
    name: str,
    table: Table,
    values: dict[str, Any],
    params: dict[str, Any],
    source: str,
    *fixed: str,
) -> str:
    """Return the CTE ``name`` inserting ``values`` (the columns' defaults filled in) into ``table``.

    With a ``source`` the row takes ticket_id from it (INSERT … SELECT); ``fixed`` adds pairs of
    (column, SQL). Values become parameters ``name0``, ``name1`` … in ``params``.
    """
    row = _defaults(table) | values
    keys = tuple(k for k in row if k not in _skip(table))
    json = _json(table)
    for i, key in enumerate(keys):
        value = row[key]
        params[f"{name}{i}"] = compact_json(value) if key in json and value is not None else value
    return _insert_sql(name, table, keys, source, fixed)


@functools.lru_cache(maxsize=64)
def _insert_sql(
    name: str, table: Table, keys: tuple[str, ...], source: str, fixed: tuple[str, ...]
) -> str:
    json = _json(table)
    columns = [*keys, *fixed[0::2]]
    # Short parameter names: psycopg caches the parsing of statements up to 4 KB only.
    values = [f"%({name}{i})s" + ("::json" if k in json else "") for i, k in enumerate(keys)]
    values += fixed[1::2]
    if source:
        columns.insert(0, "ticket_id")
        values.insert(0, f"{source}.id")
    quoted = ", ".join(f'"{c}"' if c in _RESERVED else c for c in columns)
    select = (
        f"SELECT {', '.join(values)} FROM {source}" if source else f"VALUES ({', '.join(values)})"
    )
    returning = " RETURNING id, number" if not source else ""
    return f"{name} AS (INSERT INTO {table.name} ({quoted}) {select}{returning})"


_RESERVED = frozenset({"to", "type", "name", "number", "level", "function", "public", "data"})


@functools.cache
def _defaults(table: Table) -> dict[str, Any]:
    """Return the scalar Python-side defaults SQLAlchemy would have filled in (None left out)."""
    return {
        c.key: c.default.arg  # type: ignore[union-attr]
        for c in table.columns
        if c.default is not None and c.default.is_scalar and c.default.arg is not None  # type: ignore[attr-defined]
    }


@functools.cache
def _json(table: Table) -> frozenset[str]:
    return frozenset(c.key for c in table.columns if isinstance(c.type, JSON))


@functools.cache
def _skip(table: Table) -> frozenset[str]:
    """Return the columns the statement sets itself: the id, and the ticket's id or number."""
    return frozenset({"id", "ticket_id"} | ({"number"} if table.name == "tickets" else set()))
