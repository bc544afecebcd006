"""The hotline's Flask class remembers plain hooks and views, and nothing else changes."""

from __future__ import annotations

import functools

from hotline.core.application import MOST_REMEMBERED, Hotline


def test_plain_functions_are_remembered_and_served_as_they_are():
    app = Hotline("probe")
    calls: list[str] = []

    @app.before_request
    def before() -> None:
        calls.append("before")

    @app.get("/")
    def index() -> str:
        return "ok"

    client = app.test_client()
    for _ in range(3):
        assert client.get("/").text == "ok"
    assert calls == ["before"] * 3
    assert before in app._plain and index in app._plain
    assert app.ensure_sync(before) is before


def test_what_cannot_be_remembered_is_asked_every_time():
    app = Hotline("probe")

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> str:
            return "called"

    odd = Unhashable()
    assert app.ensure_sync(odd)() == "called"
    for i in range(MOST_REMEMBERED + 10):  # hooks made afresh per call: bounded
        app.ensure_sync(functools.partial(str, i))
    assert len(app._plain) == MOST_REMEMBERED
