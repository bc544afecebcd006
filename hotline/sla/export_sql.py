"""The overdue CSV's ticket rows on PostgreSQL: each row one ready line, written by the query."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import (
    BigInteger,
    String,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import aliased

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.sla.models import OPEN_TEXT_BYTES
from hotline.sla.overdue import CSV_LIMIT, list_order, overdue_cut
from hotline.tickets.models import Ticket

# What makes csv.writer (QUOTE_MINIMAL, the export's dialect) quote a field.
_SPECIAL = re.compile('[,"\r\n]')
_PLACEHOLDER = re.compile(r"%\((n|first|second)\)s")


def csv_field(value: str) -> str:
    """Return ``value`` as csv.writer writes it: in quotes, doubled, when it holds , " CR or LF."""
    return '"' + value.replace('"', '""') + '"' if _SPECIAL.search(value) else value


def _quoted(value: Any) -> Any:
    """Return the SQL of csv_field(value) (NULL stays NULL: concat() writes it as nothing)."""
    doubled = func.concat('"', func.replace(value, '"', '""'), '"')
    return case((value.regexp_match('[",\r\n]'), doubled), else_=value)


def _worded(kind: str, value: Any, word: Callable[[str, str], str]) -> Any:
    """Return the SQL of label(kind, value) as a CSV field: the known codes' words, written in
    Python once per export; an unknown code as it is, none as nothing."""
    table = current_app.extensions.get("hotline_labels", {}).get(kind, {})
    words = {code: csv_field(word(kind, code)) for code in table}
    return case(words, value=value, else_=_quoted(value))


def _template(message: str, _: Callable[..., str]) -> str:
    """Return the translated duration message as a format() string of PostgreSQL."""
    return _PLACEHOLDER.sub(lambda m: "%2$s" if m[1] == "second" else "%1$s", _(message))


def _duration(seconds: Any, _: Callable[..., str]) -> Any:
    """Return the SQL of human_duration(seconds, _): days and hours, or hours and minutes."""
    day, hour, minute, pair = (
        _template(m, _) for m in ("%(n)s天", "%(n)s小时", "%(n)s分钟", "%(first)s%(second)s")
    )
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    text = case(
        (days > 0, case((hours > 0, func.format(pair, func.format(day, days),
                                                func.format(hour, hours))),
                        else_=func.format(day, days))),
        (hours > 0, case((minutes > 0, func.format(pair, func.format(hour, hours),
                                                   func.format(minute, minutes))),
                         else_=func.format(hour, hours))),
        else_=func.format(minute, minutes),
    )  # fmt: skip
    # Numbers need no quotes: only the translated words could.
    return _quoted(text) if any(_SPECIAL.search(t) for t in (day, hour, minute, pair)) else text


def _departments(word: Callable[[str, str], str]) -> Any:
    """Return the SQL of each department's four CSV fields (code, name, function, level) as one
    text, by code: worked out once per export (an InitPlan), looked up per row.
    """
    d = Department
    fields = func.concat(
        _quoted(d.code), ",", _quoted(d.name), ",", _worded("function", d.function, word), ",",
        _worded("level_long", d.level, word),
    )  # fmt: skip
    return select(func.jsonb_object_agg(d.code, fields)).scalar_subquery()


def _texts(head: Any) -> Any:
    """Return the matter and address fields (SQL), from the open work's covering index
    (ix_sla_tickets_open_text): one index probe a ticket, not one heap page of the year's table.
    """
    t = aliased(Ticket, name="open_text")

    def both(row: Any, *where: Any) -> Any:
        # One look for quotes in both (most rows need none), not one per field.
        plain = func.concat(row.description, ",", row.address)
        quoted = func.concat(_quoted(row.description), ",", _quoted(row.address))
        special = func.concat(row.description, row.address).regexp_match('[",\r\n]')
        fields = case((special, quoted), else_=plain)
        return select(fields).where(row.id == head.c.id, *where).scalar_subquery()

    # A subquery per row, not a join: the planner would hash the whole index and sort again.
    # Literal, as in the index's predicate, so the planner sees the index serves it.
    covered = both(
        t,
        t.status.in_([literal_column("'dispatched'"), literal_column("'accepted'")]),
        func.octet_length(t.description) <= literal_column(str(OPEN_TEXT_BYTES)),
    )
    # A description too long for the index is read from the table (evaluated for those alone).
    return func.coalesce(covered, both(Ticket))


def _seconds(now: datetime) -> Callable[[Any], list[Any]]:
    """Return the cut's computed column: how long each clock is overdue, in whole seconds."""

    def columns(sub: Any) -> list[Any]:
        late = func.floor(extract("epoch", bindparam("now", now) - sub.c.due))
        return [cast(late, BigInteger).label("seconds")]

    return columns


def ticket_lines(
    actor: Actor, args: dict[str, Any], now: datetime, w: Any, batch: int
) -> Iterator[bytes]:
    """Yield the CSV lines of every overdue ticket (up to CSV_LIMIT), ``batch`` rows a chunk,
    each line written by PostgreSQL: Python only joins them (the export's words in ``w``).
    """
    head = overdue_cut(actor, args, now, CSV_LIMIT, 0, (), _seconds(now))
    departments = _departments(w.word)
    code = head.c.department_code
    fields = [
        _quoted(head.c.number), _worded("type", head.c.type, w.word),
        case((head.c.urgent, csv_field(w.yes)), else_=csv_field(w.no)), _texts(head),
        func.coalesce(departments.op("->>", return_type=String)(code),
                      func.concat(_quoted(code), ",", _quoted(code), ",,")),
        _worded("step", head.c.step, w.word),
        # In the session's zone (set below): the city's local time and offset, as isoformat.
        func.to_char(func.timezone("UTC", head.c.due), 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
        head.c.seconds, _duration(head.c.seconds, w._),
        _worded("level_long", head.c.escalation_level, w.word), csv_field(w._("主办")),
    ]  # fmt: skip
    line = func.concat(*fields[:1], *(p for f in fields[1:] for p in (",", f)), "\r\n")
    stmt = (
        select(line)
        .select_from(head)
        .order_by(*list_order(args["sort"], lambda name: head.c[name]))
    )
    connection = db.session.connection()
    # For this transaction alone: to_char's TZH:TZM and the local time follow the city's zone.
    zone = connection.scalar(select(func.current_setting("TimeZone")))
    connection.execute(select(func.set_config("TimeZone", settings().timezone, True)))
    result = connection.execution_options(yield_per=batch).execute(stmt)
    for lines in result.scalars().partitions():
        yield "".join(lines).encode("utf-8")
    connection.execute(select(func.set_config("TimeZone", zone, True)))
