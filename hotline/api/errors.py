"""JSON errors for the API: {"error": {"code", "message", "fields"?}}; domain refusals by code."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from hotline.core.errors import DomainError

# How each domain refusal is answered over HTTP: (status, the code the client reads).
DOMAIN_STATUS: dict[str, tuple[int, str]] = {
    "not_found": (404, "not_found"),
    "forbidden": (403, "forbidden"),
    "invalid_state": (409, "invalid_state"),
    "stale_version": (409, "stale_version"),
    "invalid": (422, "invalid"),
    "conflict": (409, "invalid"),
    "unknown_action": (400, "validation_error"),
    "invalid_input": (400, "invalid"),
}


class ApiError(Exception):
    """An HTTP-only refusal (sign-in, rate limit, a malformed request): status and JSON body."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


def http_status(error: DomainError | ApiError) -> int:
    """Return the HTTP status a refusal is answered with."""
    if isinstance(error, ApiError):
        return error.status
    return DOMAIN_STATUS.get(error.code, (400, error.code))[0]


def domain_response(error: DomainError) -> Response:
    """Answer a domain refusal as JSON, by its code."""
    status, code = DOMAIN_STATUS.get(error.code, (400, error.code))
    return error_response(status, code, error.message, error.fields)


def error_response(status: int, code: str, message: str, fields: Any = None) -> Response:
    """Build the JSON error response."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _wants_json() -> bool:
    return (
        request.path.startswith(("/api/", "/healthz"))
        or request.accept_mimetypes.best == "application/json"
    )


def init_app(app: Flask) -> None:
    """Register the JSON error handlers."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message, error.fields)

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError) -> Response:
        return error_response(400, "validation_error", "the request is not valid", error.messages)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        return domain_response(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | HTTPException:
        if not _wants_json():
            return error
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(error.code or 500, code, error.description or error.name)
