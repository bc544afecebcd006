"""Answers kept per process for HOTLINE_STATS_MAX_AGE: the figures may lag the tickets that long.

A city's rates ask for some 40,000 open tickets' overdue counts and 4,000 departments' names;
every supervisor's page asks again. Within the age the figures are allowed to lag (the page
says as of when), the first answer serves the rest. Age 0 keeps nothing: always exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from hotline.core.context import settings

T = TypeVar("T")

# Answers kept per kind at most: a few dozen questions (scope, place, window).
KEPT = 64


def kept(kind: str, ident: Hashable, compute: Callable[[], T]) -> T:
    """Return the answer to ``ident`` of ``kind`` kept within the max age, else ``compute()``."""
    max_age = settings().stats_max_age
    if not max_age:
        return compute()
    store: dict[Hashable, tuple[float, T]] = current_app.extensions.setdefault(
        f"hotline_kept_{kind}", {}
    )
    hit = store.get(ident)
    if hit is not None and time.monotonic() - hit[0] < max_age:
        return hit[1]
    answer = compute()
    if len(store) >= KEPT:
        store.clear()  # rare questions go; the next asks fill it again
    store[ident] = (time.monotonic(), answer)
    return answer
