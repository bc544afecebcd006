"""Share one rendering of a console among every console that reloads it after a change.

When the change stamp moves, every open console of a kind asks for the same page at once.
The first request renders it; the others (same page, same scope, same language, same
stamp) get that rendering with their own CSRF token put back in: hundreds of consoles cost
one render per worker per change instead of hundreds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, Response, g, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from hotline.live.stamp import current_stamp

PLACEHOLDER = "\x00csrf\x00"
SIZE = 64
_lock = threading.Lock()
_pages: OrderedDict[tuple, str] = OrderedDict()
_rendering: dict[tuple, threading.Lock] = {}


def _key() -> tuple | None:
    if request.method != "GET" or request.headers.get("X-Live") != "1":
        return None
    if not getattr(current_user, "is_authenticated", False):
        return None
    user: Any = current_user
    scope = (user.role, user.department_code, user.org_unit_code)
    return (request.full_path, str(get_locale()), scope, current_stamp())


def _cached(key: tuple) -> Response | None:
    with _lock:
        body = _pages.get(key)
        if body is not None:
            _pages.move_to_end(key)
    if body is None:
        return None
    return Response(body.replace(PLACEHOLDER, generate_csrf()), mimetype="text/html")


def init_app(app: Flask) -> None:
    """Serve live reloads from the shared rendering, and keep new renderings."""

    @app.before_request
    def _serve() -> Response | None:
        key = _key()
        if key is None:
            return None
        hit = _cached(key)
        if hit is not None:
            return hit
        with _lock:
            rendering = _rendering.setdefault(key, threading.Lock())
        # One request renders; the others wait for it (a render takes milliseconds).
        if rendering.acquire(timeout=5):
            g.live_render = (key, rendering)
            return _cached(key)
        return None

    @app.after_request
    def _keep(response: Response) -> Response:
        pending = g.pop("live_render", None)
        if pending is None:
            return response
        key, rendering = pending
        try:
            if response.status_code == 200 and response.mimetype == "text/html":
                body = response.get_data(as_text=True).replace(generate_csrf(), PLACEHOLDER)
                with _lock:
                    _pages[key] = body
                    while len(_pages) > SIZE:
                        _pages.popitem(last=False)
        finally:
            with _lock:
                _rendering.pop(key, None)
            rendering.release()
        return response

    @app.teardown_request
    def _release(_exc: BaseException | None) -> None:
        pending = g.pop("live_render", None)
        if pending is not None:
            with _lock:
                _rendering.pop(pending[0], None)
            pending[1].release()
