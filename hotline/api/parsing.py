"""Read request bodies and query strings safely before marshmallow sees them."""

from __future__ import annotations

from typing import Any

from flask import request

from hotline.api.errors import ApiError


def json_body() -> dict[str, Any]:
    """Return the JSON object of the request body, or a 400 naming the problem."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(
            400,
            "validation_error",
            "the body must be a JSON object",
            {"_body": ["expected a JSON object"]},
        )
    return data


def query_args() -> dict[str, str]:
    """Return the query string as a flat dict; empty values count as absent."""
    return {k: v for k, v in request.args.items() if v != ""}
