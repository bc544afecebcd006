"""Request size limits per route: a body too large is refused before anything reads it.

Every body is capped (Werkzeug stops reading at the cap even without a Content-Length), and a
declared Content-Length over the cap is answered at once: 413 in the format of the route (the
API's JSON error, Open311's list, an HTML page for forms). Over-long URLs get 414 the same way.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from hotline.api.errors import error_response

# Longer request lines are refused by gunicorn (limit_request_line 4094); the app says the same.
MAX_URL = 4094
# Machine clients: they get JSON. Everything else is a page, rendered by the web package's
# error page (it registers it as app.extensions["hotline_error_page"]; api never imports web).
MACHINE_PREFIXES = ("/api/", "/twilio/", "/healthz")


def limit_for_request() -> int:
    """Return the largest body this route accepts, in bytes."""
    settings = current_app.config["HOTLINE"]
    if request.mimetype == "multipart/form-data":
        # An upload may carry as many files of the largest size as attachments allow (the
        # portal's several photos), plus the form's own fields.
        files = settings.upload_max_bytes * settings.upload_max_files + 1024 * 1024
        return max(settings.max_upload_bytes, files)
    if request.path.startswith(("/api/", "/open311/")):
        return settings.max_api_bytes
    if request.path.startswith("/twilio/"):
        return settings.max_webhook_bytes
    return settings.max_form_bytes


def refusal(status: int, code: str, message: str) -> Response | tuple[str, int]:
    """Answer ``status`` in the format of the route."""
    if request.path.startswith("/open311/"):
        response = jsonify([{"code": status, "description": message}])
        response.status_code = status
        return response
    page = current_app.extensions.get("hotline_error_page")
    if page is not None and not request.path.startswith(MACHINE_PREFIXES):
        return page(status)  # the page's title says it in the reader's language
    return error_response(status, code, message)


def init_app(app: Flask) -> None:
    """Cap every request body and refuse declared oversize bodies and URLs up front."""

    @app.before_request
    def _limit():  # noqa: ANN202
        if len(request.full_path.encode()) > MAX_URL:
            return refusal(414, "uri_too_long", f"the URL is longer than {MAX_URL} bytes")
        limit = limit_for_request()
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            return _too_large(limit)
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "")
        # Werkzeug stops reading a chunked body at the cap without saying so: a body that
        # filled it is refused rather than handed on cut short.
        if chunked and request.content_length is None and len(request.get_data()) >= limit:
            return _too_large(limit)
        return None

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large_raised(error: RequestEntityTooLarge):  # noqa: ANN202
        # A body without Content-Length that grew past the cap while being read.
        return _too_large(limit_for_request())


def _too_large(limit: int) -> Response | tuple[str, int]:
    response = refusal(413, "too_large", f"the request body is larger than {limit} bytes")
    if isinstance(response, Response):
        # The client may still be sending: do not keep the connection for the rest.
        response.headers["Connection"] = "close"
    return response
