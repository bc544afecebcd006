"""PostgreSQL intake in one statement: ticket, events, trace, routing feedback and receipt.

Data-modifying CTEs hang off the ticket's INSERT (its id and number from RETURNING), so a
ticket costs one round trip whatever comes with it; the per-phone SMS limit, the opt-out and
the rule's auto-dispatch switch are read by the same statement. The SQL text depends only on
which columns are set (the rows travel as JSON), so psycopg prepares it on the server. It runs
on the session's connection, in its transaction; driver errors become SQLAlchemy's (callers
catch IntegrityError for a retried webhook's unique source_ref).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError

from hotline.core import held, prepared
from hotline.core.config import compact_json
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.notifications.inline import NUMBER_MARK, Queued, message_cte
from hotline.tickets import notices
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.numbers import day_sequence

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
    alone: bool = False,
) -> Written:
    """Write the new ticket and everything that comes with it in one statement.

    ``alone``: the statement is its own transaction (nothing else to commit with it), run on a
    connection of its own in autocommit: one round trip instead of BEGIN, statement, COMMIT.
    """
    seq, day = day_sequence(now, settings().timezone)
    params: dict[str, Any] = {"n_seq": seq, "n_day": f"{day}-"}
    parts = [_insert("t", Ticket.__table__, [values], params, "")]
    parts.append(_insert("e", TicketEvent.__table__, events, params, "t"))
    if proposal is not None and proposal.get("trace"):
        params["tr_trace"] = compact_json(proposal["trace"])
        parts.append(
            "tr AS (INSERT INTO ticket_traces (ticket_id, trace)"
            " SELECT t.id, %(tr_trace)s::json FROM t)"
        )
    switch_sql = "NULL::boolean"
    if proposal is not None and router is not None:
        table, row = router.intake_feedback(ticket.routing, now)
        parts.append(_insert("f", table, [row], params, "t"))
        params["a_rule"] = proposal.get("rule")
        switch = router.switch_table
        switch_sql = f"(SELECT enabled FROM {switch.name} WHERE rule = %(a_rule)s)"
    body = notices.receipt_body(ticket, NUMBER_MARK)
    receipt = "NULL::integer, NULL::text, NULL::text"
    if body is not None:
        sql, more = message_cte("resident_receipt", ticket.phone, body,
                                "receipt:", now)  # fmt: skip
        parts.append(sql)
        params |= more
        receipt = "(SELECT id FROM o), (SELECT state FROM o), (SELECT last_error FROM o)"
    sql = f"WITH {', '.join(parts)} SELECT t.id, t.number, {switch_sql}, {receipt} FROM t"
    row = _execute_alone(sql, params) if alone else _execute(sql, params)
    queued = None
    if body is not None:
        queued = Queued(row[3], row[4], row[5], "resident_receipt", ticket.phone)
    return Written(row[0], row[1], bool(row[2]), queued)


def _execute(sql: str, params: dict[str, Any]) -> Any:
    """Run the statement on the session's connection, in its transaction; return the one row.

    Straight to psycopg (prepared once it ran a few times): SQLAlchemy's execution context
    costs as much as the rest of the round trip. Driver errors are raised as SQLAlchemy's, as
    exec_driver_sql would (IntegrityError for a webhook's retried source_ref).
    """
    connection = db.session.connection()
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        return driver.execute(sql, params).fetchone()
    except psycopg.Error as exc:
        if driver.closed:  # the server went away: the pool must not hand this connection out again
            connection.invalidate(exc)
        raise DBAPIError.instance(
            sql, params, exc, psycopg.Error, dialect=connection.dialect
        ) from exc


def _execute_alone(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """Run the statement as a transaction of its own; return the row.

    One statement is atomic: the ticket and all that comes with it commit together or not at
    all, and the commit's WAL flush is waited for before the answer, as with COMMIT. The
    thread's held connection is idle, so a statement sent through libpq (see
    hotline.core.prepared) is its own transaction: no BEGIN, no COMMIT round trip.
    """
    try:
        with held.connection(db.engine) as driver:
            values = prepared.fetch_one(driver, sql, params)
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            sql, params, exc, psycopg.Error, dialect=db.engine.dialect
        ) from exc
    ticket_id, number, switch, message_id, state, error = values
    return (
        int(ticket_id),
        number.decode(),
        None if switch is None else switch == b"t",
        None if message_id is None else int(message_id),
        None if state is None else state.decode(),
        None if error is None else error.decode(),
    )


def _insert(
    name: str, table: Table, rows: list[dict[str, Any]], params: dict[str, Any], source: str
) -> str:
    """Return the CTE ``name`` inserting ``rows`` (the columns' defaults filled in) into ``table``.

    The rows travel as one JSON parameter ``name`` read by json_populate_recordset, which gives
    every value its column's type: a few parameters, whatever the columns (psycopg caches the
    parsing of statements with up to 50). Without a ``source`` it is the ticket, numbered by
    the day's sequence; with one, each row takes ticket_id from it.
    """
    defaults = _defaults(table)
    rows = [defaults | row for row in rows]
    params[name] = compact_json(rows)
    keys = tuple(k for k in rows[0] if k not in _skip(table))
    return _insert_sql(name, table, keys, source)


@functools.lru_cache(maxsize=64)
def _insert_sql(name: str, table: Table, keys: tuple[str, ...], source: str) -> str:
    columns = ", ".join(f'"{k}"' if k in _RESERVED else k for k in keys)
    picked = ", ".join(f"r.{k}" if k not in _RESERVED else f'r."{k}"' for k in keys)
    rows = f"json_populate_recordset(NULL::{table.name}, %({name})s::json) AS r"
    if not source:
        return (
            f"{name} AS (INSERT INTO {table.name} ({columns}, number) SELECT {picked}, {_NUMBER}"
            f" FROM {rows} RETURNING id, number)"
        )
    return (
        f"{name} AS (INSERT INTO {table.name} (ticket_id, {columns})"
        f" SELECT {source}.id, {picked} FROM {source}, {rows})"
    )


# Column names that are SQL key words: quoted.
_RESERVED = frozenset({"to", "type", "name", "number", "level", "function", "public", "data"})


@functools.cache
def _defaults(table: Table) -> dict[str, Any]:
    """Return the scalar Python-side defaults SQLAlchemy would have filled in (None left out)."""
    scalars = {c.key: c.default for c in table.columns if c.default is not None}
    return {
        key: arg
        for key, default in scalars.items()
        if default.is_scalar and (arg := getattr(default, "arg", None)) is not None
    }


@functools.cache
def _skip(table: Table) -> frozenset[str]:
    """Return the columns the statement sets itself: the id, and the ticket's id or number."""
    return frozenset({"id", "ticket_id"} | ({"number"} if table.name == "tickets" else set()))
