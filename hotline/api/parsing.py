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
    bad = _unencodable(data)
    if bad is not None:
        message = "contains characters that are not valid Unicode (an unpaired surrogate)"
        raise ApiError(400, "validation_error", message, {bad: [message]})
    return data


def _unencodable(value: Any, path: str = "_body") -> str | None:
    """Return the path of the first string JSON allows but UTF-8 cannot hold ("\\ud800")."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _unencodable(key) is not None:
            return path
        found = _unencodable(item, str(key) if path == "_body" else f"{path}.{key}")
        if found is not None:
            return found
    return None


def query_args() -> dict[str, str]:
    """Return the query string as a flat dict; empty values count as absent."""
    return {k: v for k, v in request.args.items() if v != ""}
