"""China's working-day calendar: weekends, public holidays and official make-up working days."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import yaml

from hotline.core.timeutil import to_utc

log = logging.getLogger(__name__)
DEFAULT_OVERRIDES = Path(__file__).with_name("overrides.yaml")


@dataclass(frozen=True)
class WorkCalendar:
    """Decide working days from the library, with a local override file on top."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        """Tell whether ``day`` is an official working day."""
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # A year the library does not know yet: weekdays work, unless overridden above.
            _warn_unknown_year(day.year)
            return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int, tz: str) -> datetime:
        """Return ``start`` plus ``days`` working days, at the same local time of day.

        A start on a day off counts from the next working day's opening (00:00), so a
        ticket dispatched on Saturday is due at the end of the Nth working day.
        """
        zone = ZoneInfo(tz)
        local = (
            start.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
            if start.tzinfo is None
            else start.astimezone(zone)
        )
        day = local.date()
        clock = local.time()
        if not self.is_workday(day):
            while not self.is_workday(day):
                day += timedelta(days=1)
            # Due at the end of the Nth working day counted from this one.
            day -= timedelta(days=1)
            clock = time(23, 59, 59)
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        result = datetime.combine(day, clock, tzinfo=zone)
        return to_utc(result)


@lru_cache(maxsize=1)
def _warn_unknown_year(year: int) -> None:
    log.warning(
        "chinese-calendar has no data for %s; using Monday-Friday plus overrides.yaml", year
    )


def load_calendar(path: Path | None = None) -> WorkCalendar:
    """Load the override file (``path`` or the shipped one) into a calendar."""
    source = path or DEFAULT_OVERRIDES
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{source}:1: expected a mapping with 'holidays' and 'workdays'")

    def days(key: str) -> frozenset[date]:
        values = data.get(key) or []
        result = set()
        for value in values:
            if not isinstance(value, date):
                raise ValueError(f"{source}: {key}: {value!r} is not a date (YYYY-MM-DD)")
            result.add(value)
        return frozenset(result)

    return WorkCalendar(holidays=days("holidays"), workdays=days("workdays"))
