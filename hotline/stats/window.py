"""Reporting windows: local calendar days turned into naive-UTC bounds, and local-day SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column

from hotline.core.extensions import db
from hotline.core.timeutil import to_local, to_utc, utcnow

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Window:
    """The local days ``first``..``last`` (inclusive) and their naive-UTC bounds [start, end)."""

    first: date
    last: date
    tz: str

    @property
    def start(self) -> datetime:
        return to_utc(datetime.combine(self.first, time(), ZoneInfo(self.tz)))

    @property
    def end(self) -> datetime:
        return to_utc(datetime.combine(self.last + timedelta(days=1), time(), ZoneInfo(self.tz)))

    @property
    def days(self) -> list[date]:
        """Return every local day of the window, in order."""
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "timezone": self.tz}


def window(
    tz: str, first: date | None = None, last: date | None = None, now: datetime | None = None
) -> Window:
    """Return the window ``first``..``last``; by default the last 30 local days up to today."""
    today = to_local(now or utcnow(), tz).date()  # type: ignore[union-attr]
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    return Window(first, last, tz)


def local_day(column: Any, w: Window) -> Any:
    """Return SQL giving the local day (YYYY-MM-DD) of a naive-UTC timestamp column.

    The offset is the zone's at the window start: exact for zones without daylight saving,
    such as Asia/Shanghai, the zone this product serves.
    """
    offset = to_local(w.start, w.tz).utcoffset()  # type: ignore[union-attr]
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if db.engine.dialect.name == "postgresql":
        shifted = column + literal_column(f"interval '{minutes} minutes'")
        return func.to_char(shifted, "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", column, f"{minutes:+d} minutes")
