"""Limit public requests per client address (fixed one-minute windows in Redis)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from redis.exceptions import RedisError

from hotline.api.errors import ApiError
from hotline.core.extensions import redis_store

log = logging.getLogger(__name__)


def rate_limited(bucket: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 429 once a client address exceeds HOTLINE_RATE_LIMIT requests a minute here."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            limit = current_app.config["HOTLINE"].rate_limit
            if limit and _count(bucket) > limit:
                raise ApiError(429, "rate_limited", "too many requests; try again in a minute")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _count(bucket: str) -> int:
    """Count this request in its window; never refuse a resident because Redis is down."""
    window = int(time.time() // 60)
    key = f"hotline:rate:{bucket}:{request.remote_addr}:{window}"
    try:
        pipe = redis_store.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, 120)
        return int(pipe.execute()[0])
    except (RedisError, OSError) as exc:
        log.warning("rate limit not applied (Redis unavailable: %s)", exc)
        return 0
