"""Which requests read from the replica (reports, search, exports), read-your-writes, freshness.

Every view that may read from the replica is named once, in ``ROUTES``, with the condition
under which it does; ``init_app`` wraps those views, and only when a replica is configured
(without one nothing here runs). A wrapped view resolves the signed-in user on the primary
first (sign-in checks never read a stale copy), then reads from the replica unless that user
wrote within the last ``HOTLINE_REPLICA_MAX_LAG`` seconds (plus the lag's measuring interval),
the replica lags more than that, or it is unreachable. A replica failing under a request
makes the view run again on the primary: a dead replica costs a retry, never a 500.
Everything else (the ticket page, action results, the operator queue, writes) reads the primary.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from hotline.core import replica
from hotline.core.replica import Reading, decide, route_to

log = logging.getLogger("hotline.replica")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Posts that change nothing a report, a search or an export shows: no need to read the primary.
NOT_WRITES = {"web_auth.login", "web_auth.logout", "auth_api.token"}
MARK = "hotline:replica:wrote:"
# user id → time.monotonic() until which that user reads the primary (this process's copy).
_wrote: dict[int, float] = {}
_redis_failed = False


def _always() -> bool:
    return True


def _searching() -> bool:
    return bool(request.args.get("q", "").strip())


def _wants_csv() -> bool:
    # The SLA API's own choice between its JSON list and the CSV export.
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


# endpoint → when it reads from the replica. Reports and figures, search, exports.
ROUTES: dict[str, Callable[[], bool]] = {
    "stats_api.rates": _always,
    "stats_api.requests": _always,
    "stats_api.public": _always,
    "assessment_api.assessment": _always,
    "web_supervisor.rates": _always,
    "web_supervisor.hotspots": _always,
    "web_supervisor.requests": _always,
    "web_accountability.assessment": _always,
    "web_public.index": _always,
    "tickets_api.list_tickets": _searching,
    "web_search.search": _always,
    "web_search.all_tickets": _searching,
    "web_search.due_soon": _searching,
    "sla_api.overdue": _wants_csv,
    "web_supervisor.overdue_export": _always,
    "web_accountability.report": _always,
}


def sticky_seconds() -> float:
    """Return how long a user reads the primary after their own write.

    A replica is read only while its lag is at most the maximum, measured at most CHECK_EVERY
    ago, so after this long any replica read has the write.
    """
    return current_app.config["HOTLINE"].replica_max_lag + 2 * replica.CHECK_EVERY


def _redis_warning(error: Exception) -> None:
    global _redis_failed
    if not _redis_failed:
        _redis_failed = True
        log.warning(
            "read-your-writes marks cannot reach Redis (%s): such reads use the primary", error
        )


def mark_write(user_id: int) -> None:
    """Remember that ``user_id`` just wrote: their next reads come from the primary."""
    from hotline.core.extensions import redis_store

    seconds = sticky_seconds()
    now = time.monotonic()
    if len(_wrote) > 10_000:  # forget the expired marks now and then
        for key in [k for k, until in _wrote.items() if until < now]:
            del _wrote[key]
    _wrote[user_id] = now + seconds
    try:
        redis_store.client.set(f"{MARK}{user_id}", 1, ex=math.ceil(seconds))
    except RedisError as error:
        _redis_warning(error)


def wrote_recently(user_id: int | None) -> bool:
    """Tell whether ``user_id`` wrote within the sticky window (in any process)."""
    from hotline.core.extensions import redis_store

    if user_id is None:
        return False
    if _wrote.get(user_id, float("-inf")) > time.monotonic():
        return True
    try:
        return bool(redis_store.client.exists(f"{MARK}{user_id}"))
    except RedisError as error:
        _redis_warning(error)
        return True  # not knowing, the primary is the safe answer


def _identify() -> tuple[bool, int | None]:
    """Resolve the signed-in user on the primary; False when that failed (a bad token)."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        from hotline.api.errors import ApiError
        from hotline.users.tokens import current_actor

        try:
            actor = current_actor(required=False)
        except ApiError:
            return False, None
        return True, actor.id if actor else None
    from flask_login import current_user

    user: Any = current_user
    return True, user.id if getattr(user, "is_authenticated", False) else None


def _replica_read(view: Callable[..., Any], applies: Callable[[], bool]) -> Callable[..., Any]:
    """Wrap ``view`` so that, when ``applies()``, it reads from the replica if it may."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not applies():
            return view(*args, **kwargs)
        known, user_id = _identify()
        if not known:
            return view(*args, **kwargs)
        where, target = decide(sticky=wrote_recently(user_id))
        g.hotline_reading = where
        if target is None:
            return view(*args, **kwargs)
        route_to(target)
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            # The replica went away, or cancelled the query for a conflict with recovery.
            from hotline.core.extensions import db
            from hotline.core.timeutil import utcnow

            alive = target.alive()
            log.info("a replica read failed (%s): reading from the primary", type(error).__name__)
            db.session.rollback()
            route_to(None)
            reason = "replica_error" if alive else "unavailable"
            g.hotline_reading = Reading("primary", reason, None, utcnow())
            return view(*args, **kwargs)

    return wrapper


def _writer() -> int | None:
    """Return the id of the signed-in user of this request, if any."""
    actor = g.get("actor")
    if actor is not None:
        return actor.id
    from flask_login import current_user

    user: Any = current_user
    return user.id if getattr(user, "is_authenticated", False) else None


def freshness_note() -> str | None:
    """Return the page's line on how fresh its figures are (None: not a replica-aware read)."""
    where: Reading | None = g.get("hotline_reading")
    if where is None:
        return None
    from hotline.core.context import settings
    from hotline.core.timeutil import to_local

    local = to_local(where.as_of, settings().timezone)
    moment = f"{local:%Y-%m-%d %H:%M:%S}"
    if where.source == "replica":
        lag = where.lag or 0.0
        return _("数据截至 %(time)s（只读副本，落后约 %(seconds)s 秒）", time=moment,
                 seconds=f"{lag:.0f}" if lag >= 1 else "<1")  # fmt: skip
    return _("数据截至 %(time)s（主库实时数据）", time=moment)


def init_app(app: Flask) -> None:
    """Wrap the views of ROUTES and install the hooks, when a replica is configured."""
    if replica.KEY not in app.extensions:
        return
    for endpoint, applies in ROUTES.items():
        if endpoint not in app.view_functions:
            raise RuntimeError(f"hotline.replica_reads.ROUTES names no view {endpoint!r}")
        app.view_functions[endpoint] = _replica_read(app.view_functions[endpoint], applies)

    @app.after_request
    def _after(response: Response) -> Response:
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and request.endpoint not in NOT_WRITES
        ):
            user_id = _writer()
            if user_id is not None:
                mark_write(user_id)
        where: Reading | None = g.get("hotline_reading")
        if where is None:
            return response
        response.headers["X-Hotline-Read-From"] = where.source
        if where.lag is not None:
            response.headers["X-Hotline-Replica-Lag"] = f"{where.lag:.3f}"
        if response.is_json and not response.is_streamed and response.status_code == 200:
            body = response.get_json(silent=True)
            if isinstance(body, dict):
                body["freshness"] = where.as_json()
                response.set_data(current_app.json.dumps(body))
        return response

    @app.teardown_request
    def _back_to_primary(_exc: BaseException | None) -> None:
        if g.pop("hotline_reading", None) is not None:
            route_to(None)

    app.context_processor(lambda: {"freshness_note": freshness_note})
