"""Say how long something took (or is overdue): 2天3小时 / 45分钟, or in English via gettext."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Translate = Callable[..., str]


def chinese(message: str, **variables: Any) -> str:
    """Fill in a source string as it is (the zh-CN text), without a catalogue."""
    return message % variables


def human_duration(seconds: float | int | None, _: Translate = chinese) -> str:
    """Return a duration as a supervisor reads it: days and hours, or hours and minutes.

    ``_`` is the translation function (flask_babel's gettext for a page in the user's
    language); the default writes the Chinese source text, for API data and CSV files.
    """
    seconds = max(int(seconds or 0), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)s天", n=days))
    if hours:
        parts.append(_("%(n)s小时", n=hours))
    if not days and (minutes or not hours):
        parts.append(_("%(n)s分钟", n=minutes))
    if len(parts) == 1:
        return parts[0]
    # Two parts at most (days and hours, or hours and minutes): zh writes them together.
    return _("%(first)s%(second)s", first=parts[0], second=parts[1])
