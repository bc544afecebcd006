"""JSON answers written by orjson: the same data as Flask's provider, several times faster."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider, _default
from werkzeug.sansio.response import Response

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    # Dates and dataclasses as Flask writes them (an HTTP date, a dict), through its _default.
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON with keys sorted, compact, and 汉字 as UTF-8 rather than \\u escapes.

    Every API answer goes through here; the standard library's encoder with ensure_ascii cost
    intake a few percent of its CPU. What orjson refuses (an integer beyond 64 bits, an object
    with no JSON form) goes to Flask's own encoder, which decides as before.
    """

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Return ``obj`` as compact JSON text (Flask's encoder when given its options)."""
        if not kwargs:
            try:
                return orjson.dumps(obj, default=_default, option=_OPTIONS).decode()
            except TypeError:
                kwargs = {"separators": (",", ":")}
        return super().dumps(obj, **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """Return a JSON response, indented in debug mode as Flask's is."""
        obj = self._prepare_response_obj(args, kwargs)
        if self.compact is False or (self.compact is None and self._app.debug):
            text = super().dumps(obj, indent=2)
        else:
            text = self.dumps(obj)
        return self._app.response_class(f"{text}\n", mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    """Write ``app``'s JSON answers with orjson."""
    app.json = JSONProvider(app)
