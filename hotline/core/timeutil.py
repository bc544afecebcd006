"""Time helpers: the database stores naive UTC; users see the city's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(value: datetime) -> datetime:
    """Convert an aware datetime to naive UTC; naive input is taken as UTC already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def to_local(value: datetime | None, tz: str) -> datetime | None:
    """Return naive-UTC ``value`` as an aware datetime in time zone ``tz``."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))


def isoformat(value: datetime | None, tz: str) -> str | None:
    """Format naive-UTC ``value`` as ISO 8601 with the city's offset."""
    local = to_local(value, tz)
    return local.isoformat(timespec="seconds") if local else None
