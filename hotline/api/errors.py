"""JSON errors for the API: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from hotline.tickets.states import TransitionError


class ApiError(Exception):
    """An error answered with a status code and a JSON body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers or {}


def not_found(what: str = "ticket") -> ApiError:
    """Return the 404 that leaks nothing about why."""
    return ApiError(404, "not_found", f"{what} not found")


def field_error(field: str, message: str, status: int = 422) -> ApiError:
    """Return an error naming one input field."""
    return ApiError(status, "invalid", message, {field: [message]})


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
        response = error_response(error.status, error.code, error.message, error.fields)
        response.headers.update(error.headers)
        return response

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError) -> Response:
        return error_response(400, "validation_error", "the request is not valid", error.messages)

    @app.errorhandler(TransitionError)
    def _transition(error: TransitionError) -> Response:
        status = 403 if error.code == "forbidden" else 409
        if error.code == "unknown_action":
            return error_response(
                400, "validation_error", error.message, {"action": [error.message]}
            )
        return error_response(status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | HTTPException:
        if not _wants_json():
            return error
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(error.code or 500, code, error.description or error.name)
