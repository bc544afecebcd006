"""Limit requests per client address (fixed one-minute windows in Redis, or in-process).

Intake and tracking share the public budget (HOTLINE_RATE_LIMIT); staff sign-in has its own
(HOTLINE_LOGIN_RATE_LIMIT), so a whole centre signing in behind one NAT at shift change is not
refused by the residents' limit. While Redis is down each process keeps its own count: guessing
passwords must not become unlimited because Redis is away.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from redis.exceptions import RedisError

from hotline.api.errors import ApiError
from hotline.core.extensions import redis_store

log = logging.getLogger(__name__)
WINDOW = 60


class LocalCounter:
    """Fixed-window counts in this process, the fallback while Redis is unavailable."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._window = 0
        self._lock = threading.Lock()

    def incr(self, key: str, window: int) -> int:
        """Count one hit of ``key`` in ``window``; older windows are forgotten."""
        with self._lock:
            if window != self._window:
                self._counts, self._window = {}, window
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]


local_counter = LocalCounter()


def limit_for(bucket: str) -> int:
    """Return the requests per address per minute allowed in ``bucket`` (0: no limit)."""
    settings = current_app.config["HOTLINE"]
    return settings.login_rate_limit if bucket == "login" else settings.rate_limit


def rate_limited(bucket: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 429 (with Retry-After) once a client address exceeds its bucket's limit."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            limit = limit_for(bucket)
            if limit and _count(bucket) > limit:
                retry = WINDOW - int(time.time()) % WINDOW
                raise ApiError(
                    429,
                    "rate_limited",
                    "too many requests; try again in a minute",
                    headers={"Retry-After": str(retry)},
                )
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _count(bucket: str) -> int:
    """Count this request in its window, in Redis or, while Redis is down, in this process."""
    window = int(time.time() // WINDOW)
    key = f"hotline:rate:{bucket}:{request.remote_addr}:{window}"
    try:
        pipe = redis_store.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, 2 * WINDOW)
        return int(pipe.execute()[0])
    except (RedisError, OSError) as exc:
        log.warning("rate limit counted in-process (Redis unavailable: %s)", exc)
        return local_counter.incr(key, window)
