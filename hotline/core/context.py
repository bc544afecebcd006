"""Per-app services the ticket operations need: the deadline clock and the settings."""

from __future__ import annotations

from flask import Flask, current_app

from hotline.calendar.deadlines import DeadlineClock, load_limits
from hotline.calendar.workdays import load_calendar
from hotline.core.config import Settings


def init_app(app: Flask) -> None:
    """Load the calendar and limits once per app."""
    settings: Settings = app.config["HOTLINE"]
    app.extensions["hotline_clock"] = DeadlineClock(
        calendar=load_calendar(settings.calendar_overrides),
        limits=load_limits(),
        timezone=settings.timezone,
    )


def clock() -> DeadlineClock:
    """Return the app's deadline clock."""
    return current_app.extensions["hotline_clock"]


def settings() -> Settings:
    """Return the app's settings."""
    return current_app.config["HOTLINE"]
