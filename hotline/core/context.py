"""Per-app services every domain asks for: the deadline clock and the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from hotline.core.config import Settings

if TYPE_CHECKING:
    from hotline.calendar.deadlines import DeadlineClock


def clock() -> DeadlineClock:
    """Return the app's deadline clock (built by hotline.calendar.deadlines.init_app)."""
    return current_app.extensions["hotline_clock"]


def settings() -> Settings:
    """Return the app's settings."""
    return current_app.config["HOTLINE"]
