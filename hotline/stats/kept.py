"""Figures kept per process for HOTLINE_STATS_MAX_AGE: they may lag the tickets that long.

A city's rates ask for some 40,000 open tickets' overdue counts and 4,000 departments' names;
every supervisor's page asks again. Within the age the figures are allowed to lag (the page
says as of when), the first answer serves the rest. Age 0 keeps nothing: always exact.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from hotline.core import kept as store
from hotline.core.context import settings

T = TypeVar("T")


def kept(kind: str, ident: Hashable, compute: Callable[[], T]) -> T:
    """Return the answer to ``ident`` of ``kind`` kept within the max age, else ``compute()``."""
    return store.kept(kind, ident, compute, settings().stats_max_age)
