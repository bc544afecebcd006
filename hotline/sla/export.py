"""The overdue list as CSV for Excel (the API and the supervisor console share it)."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.context import label, settings
from hotline.core.durations import human_duration
from hotline.core.extensions import db
from hotline.org.models import Department
from hotline.sla.export_sql import ticket_lines
from hotline.sla.overdue import CSV_LIMIT, overdue_rows
from hotline.sla.parts_overdue import overdue_parts

# Rows written (and sent) at a time: the memory an export holds, whatever its length.
BATCH = 2000


def _csv_columns() -> list[str]:
    return [
        _("工单号"), _("类型"), _("紧急"), _("反映事项"), _("地址"), _("承办单位编码"),
        _("承办单位"), _("职能"), _("层级"), _("环节"), _("期限"), _("超时秒数"),
        _("超时时长"), _("督办层级"), _("主办/协办"),
    ]  # fmt: skip


def _memo_gettext() -> Callable[..., str]:
    """Return gettext remembering each message's translation for this one export.

    A flask_babel lookup costs tens of microseconds; a row has a dozen words, so an export
    of thousands of rows spent most of its time translating the same few words again.
    """
    cache: dict[str, str] = {}

    def translate(message: str, **variables: object) -> str:
        text = cache.get(message)
        if text is None:
            text = cache[message] = _(message)
        return text % variables if variables else text

    return translate


class _Words:
    """Every word of an export in the user's language, each worked out once per export."""

    def __init__(self) -> None:
        self._ = _memo_gettext()
        self.word = functools.cache(label)
        self.yes, self.no = self._("是"), self._("否")
        self.zone = ZoneInfo(settings().timezone)
        self._spans: dict[int, str] = {}

    def duration(self, seconds: int) -> str:
        """Return human_duration(seconds): past a day it names days and hours only, under a
        day hours and minutes, so the words of a whole hour (or minute) are worked out once.
        """
        key = seconds // 3600 if seconds >= 86400 else -1 - seconds // 60
        text = self._spans.get(key)
        if text is None:
            text = self._spans[key] = human_duration(seconds, self._)
        return text


def _ticket_rows(rows: Iterable[Any], now: datetime, w: _Words) -> Iterator[list[Any]]:
    """Yield the CSV row of each overdue ticket (overdue_rows' plain tuples, by position)."""
    word, lead = w.word, w._("主办")
    stmt = select(Department.code, Department.name, Department.function, Department.level)
    # Each department's three cells, in words, once (a city has a few thousand).
    departments = {
        code: (name, word("function", function), word("level_long", level))
        for code, name, function, level in db.session.execute(stmt)
    }
    for number, kind, urgent, escalation, code, step, due, text, address in rows:
        name, function, level = departments.get(code) or (code, "", "")
        seconds = int((now - due).total_seconds())
        yield [
            number, word("type", kind), w.yes if urgent else w.no, text or "", address or "",
            code, name, function, level, word("step", step),
            due.replace(tzinfo=UTC).astimezone(w.zone).isoformat(timespec="seconds"),
            seconds, w.duration(seconds), word("level_long", escalation), lead,
        ]  # fmt: skip


def _part_rows(items: Iterable[dict], w: _Words) -> Iterator[list[Any]]:
    """Yield the CSV row of each overdue assisting part (overdue_item's dicts)."""
    word, assist = w.word, w._("协办")
    for it in items:
        d = it["department"]
        yield [
            it["number"], word("type", it["type"]), w.yes if it["urgent"] else w.no,
            it.get("description") or "", it.get("address") or "", d["code"], d["name"],
            word("function", d["function"]), word("level_long", d["level"]),
            word("step", it["step"]), it["due"], it["overdue_seconds"],
            w.duration(it["overdue_seconds"]), word("level_long", it["escalation_level"]), assist,
        ]  # fmt: skip


def _header() -> bytes:
    """Return the CSV's first line; the BOM makes Excel read the Chinese as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerow(_csv_columns())
    return out.getvalue().encode("utf-8")


def _csv_lines(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """Yield the CSV lines of ``rows`` in chunks of BATCH rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        writer.writerows(batch)
        yield out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()


def _overdue_csv(lines: Iterator[bytes]) -> Response:
    """Stream ``lines`` as a CSV download that Excel opens in Chinese (constant memory)."""
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": "attachment; filename=overdue.csv",
        },
    )


def overdue_export(actor: Actor, args: dict[str, Any], now: datetime) -> Response:
    """Stream the whole filtered overdue list, tickets then assisting parts, not just a page."""
    parts = overdue_parts(actor, args, now, limit=CSV_LIMIT)

    def lines() -> Iterator[bytes]:
        # The header at once: the download starts while the first rows are read.
        yield _header()
        # Inside the response (stream_with_context): the words in the user's language.
        w = _Words()
        if db.session.get_bind().dialect.name == "postgresql":
            yield from ticket_lines(actor, args, now, w, BATCH)
        else:
            yield from _csv_lines(_ticket_rows(overdue_rows(actor, args, now), now, w))
        yield from _csv_lines(_part_rows(parts, w))

    return _overdue_csv(lines())
