"""The overdue CSV's ticket rows on PostgreSQL: written by COPY … TO STDOUT (FORMAT csv).

The query works out every field's text (labels, yes/no, local time, durations) and COPY writes
them as csv.writer would (the same minimal quoting), in C: Python only passes the rows on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import (
    BigInteger,
    String,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.core.kept import kept
from hotline.core.permissions import ticket_scope
from hotline.org.models import Department
from hotline.sla.models import OPEN_TEXT_BYTES
from hotline.sla.overdue import CSV_LIMIT, list_order, overdue_cut
from hotline.tickets.models import Ticket

_PLACEHOLDER = re.compile(r"%\((n|first|second)\)s")


def _worded(kind: str, value: Any, word: Callable[[str, str], str]) -> Any:
    """Return the SQL of label(kind, value): the known codes' words, written in Python once
    per export; an unknown code as it is, none as nothing."""
    table = current_app.extensions.get("hotline_labels", {}).get(kind, {})
    return case({code: word(kind, code) for code in table}, value=value, else_=value)


def _template(message: str, _: Callable[..., str]) -> str:
    """Return the translated duration message as a format() string of PostgreSQL."""
    return _PLACEHOLDER.sub(lambda m: "%2$s" if m[1] == "second" else "%1$s", _(message))


def _duration(seconds: Any, _: Callable[..., str]) -> Any:
    """Return the SQL of human_duration(seconds, _): days and hours, or hours and minutes."""
    day, hour, minute, pair = (
        _template(m, _) for m in ("%(n)s天", "%(n)s小时", "%(n)s分钟", "%(first)s%(second)s")
    )
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    return case(
        (days > 0, case((hours > 0, func.format(pair, func.format(day, days),
                                                func.format(hour, hours))),
                        else_=func.format(day, days))),
        (hours > 0, case((minutes > 0, func.format(pair, func.format(hour, hours),
                                                   func.format(minute, minutes))),
                         else_=func.format(hour, hours))),
        else_=func.format(minute, minutes),
    )  # fmt: skip


def _departments(word: Callable[[str, str], str]) -> Any:
    """Return the SQL of each department's name, function and level in words, by code: worked
    out once per export (an InitPlan), looked up per row.
    """
    d = Department
    fields = func.jsonb_build_array(
        d.name, _worded("function", d.function, word), _worded("level_long", d.level, word)
    )
    return select(func.jsonb_object_agg(d.code, fields)).scalar_subquery()


def _texts(head: Any) -> Any:
    """Return the matter and address (a LATERAL subquery) from the open work's covering index
    (ix_sla_tickets_open_text): one index probe a ticket, not one heap page of the year's table.
    """
    t = aliased(Ticket, name="open_text")
    # Literal, as in the index's predicate, so the planner sees the index serves it.
    return (
        select(t.id, t.description, t.address)
        .where(
            t.id == head.c.id,
            t.status.in_([literal_column("'dispatched'"), literal_column("'accepted'")]),
            func.octet_length(t.description) <= literal_column(str(OPEN_TEXT_BYTES)),
        )
        # LIMIT keeps it a probe per row, in the list's order: pulled up into a join, it would
        # hash the whole open work and sort the rows again.
        .limit(1)
        .lateral("texts")
    )


def _seconds(now: datetime) -> Callable[[Any], list[Any]]:
    """Return the cut's computed column: how long each clock is overdue, in whole seconds."""

    def columns(sub: Any) -> list[Any]:
        late = func.floor(extract("epoch", bindparam("now", now) - sub.c.due))
        return [cast(late, BigInteger).label("seconds")]

    return columns


def _copy_sql(actor: Actor, args: dict[str, Any], now: datetime, w: Any) -> tuple[str, dict]:
    """Return the COPY statement of the ticket rows (psycopg's placeholders) and its values.

    Building and compiling it took a fifth of a city's export: the statement is kept per
    process for each scope, filter and language, and only the moment ``now`` changes.
    """
    key = (ticket_scope(actor), repr(sorted(args.items())), str(get_locale()))
    sql, params, moments = kept("overdue_copy", key, lambda: _compiled_copy(actor, args, now, w))
    return sql, params | dict.fromkeys(moments, now)


def _compiled_copy(
    actor: Actor, args: dict[str, Any], now: datetime, w: Any
) -> tuple[str, dict[str, Any], list[str]]:
    """Build and compile the COPY statement: its SQL, its values and the names of those that
    hold ``now`` (found by identity, to be bound anew)."""
    head = overdue_cut(actor, args, now, CSV_LIMIT, 0, (), _seconds(now))
    texts = _texts(head)

    def stored(column: str) -> Any:
        # A description too long for the index is read from the table (for those rows alone).
        table = select(getattr(Ticket, column)).where(Ticket.id == head.c.id).scalar_subquery()
        return case((texts.c.id.is_(None), table), else_=getattr(texts.c, column))

    # One look-up a row (a LATERAL kept apart by its LIMIT: three uses of the subquery would
    # each work the departments out again).
    looked_up = _departments(w.word).op("->", return_type=postgresql.JSONB)(head.c.department_code)
    department = select(looked_up.label("fields")).correlate(head).limit(1).lateral("department")
    field = department.c.fields.op("->>", return_type=String)
    fields = [
        head.c.number, _worded("type", head.c.type, w.word),
        case((head.c.urgent, w.yes), else_=w.no),
        # COPY writes "" for an empty text and nothing for NULL; csv.writer nothing for both.
        func.nullif(stored("description"), ""), func.nullif(stored("address"), ""),
        head.c.department_code, func.coalesce(field(0), head.c.department_code), field(1),
        field(2), _worded("step", head.c.step, w.word),
        # In the session's zone (set below): the city's local time and offset, as isoformat.
        func.to_char(func.timezone("UTC", head.c.due), 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
        head.c.seconds, _duration(head.c.seconds, w._),
        _worded("level_long", head.c.escalation_level, w.word), w._("主办"),
    ]  # fmt: skip
    stmt = (
        select(*(literal(f) if isinstance(f, str) else f for f in fields))
        .select_from(head.outerjoin(texts, true()).outerjoin(department, true()))
        .order_by(*list_order(args["sort"], lambda name: head.c[name]))
    )
    compiled = stmt.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    params = dict(compiled.params)
    moments = [name for name, value in params.items() if value is now]
    return f"COPY ({compiled}) TO STDOUT (FORMAT csv)", params, moments


def ticket_lines(
    actor: Actor, args: dict[str, Any], now: datetime, w: Any, batch: int
) -> Iterator[bytes]:
    """Yield the CSV lines of every overdue ticket (up to CSV_LIMIT), ``batch`` rows a chunk,
    written by PostgreSQL's COPY (the export's words in ``w``).
    """
    sql, params = _copy_sql(actor, args, now, w)
    connection = db.session.connection()
    # For this transaction alone: to_char's TZH:TZM and the local time follow the city's zone.
    zone = connection.scalar(select(func.current_setting("TimeZone")))
    connection.execute(select(func.set_config("TimeZone", settings().timezone, True)))
    driver = connection.connection.driver_connection
    assert driver is not None
    rows: list[bytes] = []
    inside = False
    with driver.cursor() as cursor, cursor.copy(sql, params) as copy:
        for row in copy:
            rows.append(bytes(row))
            if len(rows) >= batch:
                chunk, inside = crlf(b"".join(rows), inside)
                rows.clear()
                yield chunk
    if rows:
        yield crlf(b"".join(rows), inside)[0]
    connection.execute(select(func.set_config("TimeZone", zone, True)))


def crlf(data: bytes, inside: bool) -> tuple[bytes, bool]:
    """Return ``data`` (CSV) with each line ending CR LF, as csv.writer ends them, and whether
    it ends inside a quoted field: COPY ends lines with LF; a LF inside quotes is the field's.
    """
    # Split at quotes, the parts alternate outside and inside a quoted field (a doubled quote
    # within a field makes an empty part outside, which holds no line end).
    parts = data.split(b'"')
    for i in range(1 if inside else 0, len(parts), 2):
        parts[i] = parts[i].replace(b"\n", b"\r\n")
    return b'"'.join(parts), inside != (len(parts) % 2 == 0)
