"""Refuse input no database can store (NUL characters) before any view sees it."""

from __future__ import annotations

from flask import Flask, request

from hotline.api.errors import error_response


def init_app(app: Flask) -> None:
    """Answer 400 for a NUL in the path, the query or an API body (PostgreSQL cannot store it)."""

    @app.before_request
    def _refuse_nul():  # noqa: ANN202
        # Twilio webhooks must answer TwiML and Open311 its own error format; they check for themselves.
        if request.path.startswith(("/twilio/", "/open311/")):
            return None
        if (
            "\x00" in request.path
            or b"%00" in request.query_string
            or b"\x00" in request.query_string
        ):
            return error_response(
                400,
                "validation_error",
                "NUL characters are not allowed",
                {"_path": ["contains NUL"]},
            )
        # A file upload is binary (NULs and all); its text fields are checked by their schema.
        if (
            request.path.startswith("/api/")
            and request.content_length
            and request.mimetype != "multipart/form-data"
        ):
            raw = request.get_data(cache=True)
            if b"\x00" in raw or b"\\u0000" in raw:
                return error_response(
                    400,
                    "validation_error",
                    "NUL characters are not allowed",
                    {"_body": ["contains NUL"]},
                )
        return None
