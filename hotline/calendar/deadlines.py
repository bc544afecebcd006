"""Compute sign-for and resolution deadlines from the configured limits and the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from flask import Flask

from hotline.calendar.workdays import WorkCalendar, load_calendar
from hotline.core.config import Settings

DEFAULT_LIMITS = Path(__file__).with_name("limits.yaml")


@dataclass(frozen=True)
class Limits:
    """Time limits per ticket type, as configured in limits.yaml."""

    resolve_days: dict[str, int]
    sign_days: dict[str, int]
    urgent_resolve: timedelta
    urgent_sign: timedelta
    warning_ratio: float
    escalation_period_days: int


def load_limits(path: Path | None = None) -> Limits:
    """Read the limits file."""
    data = yaml.safe_load((path or DEFAULT_LIMITS).read_text(encoding="utf-8"))
    types = data["types"]
    return Limits(
        resolve_days={k: int(v["resolve_working_days"]) for k, v in types.items()},
        sign_days={k: int(v["sign_working_days"]) for k, v in types.items()},
        urgent_resolve=timedelta(hours=float(data["urgent"]["resolve_hours"])),
        urgent_sign=timedelta(minutes=float(data["urgent"]["sign_minutes"])),
        warning_ratio=float(data.get("warning_ratio", 0.8)),
        escalation_period_days=int(data.get("escalation_period_working_days", 1)),
    )


@dataclass(frozen=True)
class DeadlineClock:
    """Turn a start time, a ticket type and urgency into deadlines (naive UTC in and out)."""

    calendar: WorkCalendar
    limits: Limits
    timezone: str

    def sign_due(self, start: datetime, type_: str, urgent: bool) -> datetime:
        """Return when a ticket dispatched at ``start`` must be signed for."""
        if urgent:
            return start + self.limits.urgent_sign
        return self.calendar.add_working_days(start, self.limits.sign_days[type_], self.timezone)

    def resolve_due(self, start: datetime, type_: str, urgent: bool) -> datetime:
        """Return when a ticket signed for at ``start`` must be resolved."""
        if urgent:
            return start + self.limits.urgent_resolve
        return self.calendar.add_working_days(start, self.limits.resolve_days[type_], self.timezone)

    def extend(self, due: datetime, days: int) -> datetime:
        """Move ``due`` on by ``days`` working days (an approved extension)."""
        return self.calendar.add_working_days(due, days, self.timezone)

    def followup_due(self, start: datetime, days: int) -> datetime:
        """Return the end of the follow-up window (calendar days)."""
        return start + timedelta(days=days)


def init_app(app: Flask) -> None:
    """Load the calendar and limits once per app (core.context.clock returns the clock)."""
    settings: Settings = app.config["HOTLINE"]
    app.extensions["hotline_clock"] = DeadlineClock(
        calendar=load_calendar(settings.calendar_overrides),
        limits=load_limits(),
        timezone=settings.timezone,
    )
