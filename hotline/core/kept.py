"""Answers kept per process: a few dozen per kind, for an age or until they are pushed out.

Reports, exports and rankings ask the same question again and again (a city's overdue grid,
the COPY statement of an export, a month's ranking). The first answer serves the rest while it
may: for ``max_age`` seconds, or, with no age, for as long as its question means the same
(the moment of the data it was read from is part of the question).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

# Answers kept per kind at most: scopes × places × windows, filters or languages in use.
KEPT = 64


def kept(kind: str, ident: Hashable, compute: Callable[[], T], max_age: float | None = None) -> T:
    """Return the answer to ``ident`` of ``kind`` kept by this process, else ``compute()``'s.

    ``max_age``: seconds an answer may be served (0: never kept); None: until pushed out.
    """
    if max_age == 0:
        return compute()
    store: dict[Hashable, tuple[float, T]] = current_app.extensions.setdefault(
        f"hotline_kept_{kind}", {}
    )
    hit = store.get(ident)
    if hit is not None and (max_age is None or time.monotonic() - hit[0] < max_age):
        return hit[1]
    answer = compute()
    if len(store) >= KEPT:
        store.clear()  # rare questions go; the next asks fill it again
    store[ident] = (time.monotonic(), answer)
    return answer
