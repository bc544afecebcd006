"""Working days across holidays and official make-up days, urgent clock time, overrides."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.calendar.deadlines import DeadlineClock, load_limits
from hotline.calendar.workdays import WorkCalendar, load_calendar
from hotline.core.timeutil import to_utc

CST = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return to_utc(datetime(*args, tzinfo=CST))


@pytest.fixture
def clock() -> DeadlineClock:
    return DeadlineClock(load_calendar(), load_limits(), "Asia/Shanghai")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # National Day 2026: 1–7 October off.
        ((2026, 9, 30, 10, 0), 1, (2026, 10, 8, 10, 0)),
        # Saturday 10 October 2026 is an official make-up working day.
        ((2026, 10, 8, 10, 0), 2, (2026, 10, 10, 10, 0)),
        # Mid-Autumn (25 Sep, Friday) and the weekend after it.
        ((2026, 9, 24, 10, 0), 2, (2026, 9, 29, 10, 0)),
        # A plain week: Friday + 1 working day is Monday.
        ((2026, 11, 20, 9, 30), 1, (2026, 11, 23, 9, 30)),
        # Received on a day off: due at the end of the first working day (Sunday 20 Sep worked).
        ((2026, 9, 19, 14, 0), 1, (2026, 9, 20, 23, 59, 59)),
    ],
)
def test_working_days(clock, start, days, due):
    assert clock.calendar.add_working_days(at(*start), days, "Asia/Shanghai") == at(*due)


def test_limits_per_type_and_urgency(clock):
    start = at(2026, 11, 23, 9, 0)  # a Monday
    assert clock.sign_due(start, "complaint", False) == at(2026, 11, 24, 9, 0)
    assert clock.resolve_due(start, "consultation", False) == at(2026, 11, 25, 9, 0)
    assert clock.resolve_due(start, "complaint", False) == at(2026, 12, 14, 9, 0)
    assert clock.sign_due(start, "complaint", True) == start + timedelta(minutes=30)
    assert clock.resolve_due(start, "help", True) == start + timedelta(hours=24)


def test_extension_moves_in_working_days(clock):
    due = at(2026, 9, 30, 17, 0)
    assert clock.extend(due, 3) == at(2026, 10, 10, 17, 0)


def test_unknown_year_uses_weekdays_and_the_override_file(tmp_path):
    plain = WorkCalendar()
    assert plain.is_workday(date(2027, 3, 3))  # a Wednesday the library does not know yet
    assert not plain.is_workday(date(2027, 3, 6))  # a Saturday
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("holidays: [2027-03-03]\nworkdays: [2027-03-06]\n", encoding="utf-8")
    calendar = load_calendar(overrides)
    assert not calendar.is_workday(date(2027, 3, 3))
    assert calendar.is_workday(date(2027, 3, 6))


def test_bad_override_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("holidays: [not-a-date]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml"):
        load_calendar(bad)
