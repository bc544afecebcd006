"""The hotline's Flask class: Flask, without work it repeats on every request for one answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

# Hooks and views are registered once; a bound on what is remembered keeps a function made
# afresh per call (none today) from growing the set without end.
MOST_REMEMBERED = 1024


class Hotline(Flask):
    """Flask that remembers which hooks and views are plain (not ``async``) functions.

    Flask asks ``inspect.iscoroutinefunction`` of the view and of every before-, after- and
    teardown hook on every request (eleven times for an intake); a function's answer never
    changes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``func`` as a plain function (Flask's answer, remembered for plain ones)."""
        try:
            if func in self._plain:
                return func
        except TypeError:  # an unhashable callable object: Flask is asked every time
            return super().ensure_sync(func)
        wrapped = super().ensure_sync(func)
        if wrapped is func and len(self._plain) < MOST_REMEMBERED:
            self._plain.add(func)
        return wrapped
