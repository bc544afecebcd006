"""Give RQ jobs an app context: the worker's own app, created once per process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, has_app_context

P = ParamSpec("P")
R = TypeVar("R")
_app: Flask | None = None


def job_app() -> Flask:
    """Return this process's app, creating it on first use."""
    global _app
    if _app is None:
        from hotline import create_app

        _app = create_app()
    return _app


def set_job_app(app: Flask) -> None:
    """Use ``app`` for jobs run in this process (the worker command and tests call it)."""
    global _app
    _app = app


def with_app(func: Callable[P, R]) -> Callable[P, R]:
    """Run a job inside an app context, and always end its database session."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():
            return func(*args, **kwargs)
        with job_app().app_context():
            return func(*args, **kwargs)

    return wrapper
