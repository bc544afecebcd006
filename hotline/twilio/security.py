"""Check X-Twilio-Signature on every webhook; refuse everything without a token."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Response, request
from twilio.request_validator import RequestValidator

from hotline.core.context import settings

log = logging.getLogger("hotline.twilio")
DEV_TOKEN = "dev"


def signing_token() -> str | None:
    """Return the token webhooks are signed with (the dev token in dev mode), or None."""
    current = settings()
    if current.twilio_auth_token:
        return current.twilio_auth_token
    return DEV_TOKEN if current.twilio_dev_mode else None


def public_url_of(path_and_query: str) -> str:
    """Return the URL Twilio signed: HOTLINE_PUBLIC_URL, or the forwarded request URL."""
    base = settings().public_url
    if base:
        return base + path_and_query
    proto = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{proto}://{host}{path_and_query}"


def _request_path() -> str:
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def signature_ok() -> bool:
    """Tell whether the current request carries a valid Twilio signature."""
    current = settings()
    if not current.twilio_auth_token:
        if current.twilio_dev_mode:
            return True
        log.error(
            "Twilio webhook refused: TWILIO_AUTH_TOKEN is not set (HOTLINE_TWILIO_DEV_MODE=1 to test)"
        )
        return False
    signature = request.headers.get("X-Twilio-Signature", "")
    params = request.form.to_dict()
    url = public_url_of(_request_path())
    if signature and RequestValidator(current.twilio_auth_token).validate(url, params, signature):
        return True
    log.warning("Twilio webhook refused: bad or missing signature for %s", url)
    return False


def twilio_webhook(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 403 (and change nothing) unless the request is signed by Twilio."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not signature_ok():
            return Response("forbidden", status=403, mimetype="text/plain")
        return view(*args, **kwargs)

    return wrapper
