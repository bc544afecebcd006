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


def label(kind: str, code: str | None) -> str:
    """Return the words for vocabulary ``code`` of ``kind`` ("function", "type", "channel",
    "status", "level", "rating") in the current locale; the code itself where none is known.

    The label tables live with the web (hotline.web.labels installs them), so that reports,
    SMS and jobs can word codes without importing the web.
    """
    if not code:
        return ""
    table = current_app.extensions.get("hotline_labels", {}).get(kind, {})
    return str(table.get(code, code))
