"""Web fixtures: sign a member of staff in through the real /login form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hotline.core.extensions import db
from tests.support.plugin import DEPT, make_user


@pytest.fixture
def nocsrf(app: Any) -> Iterator[None]:
    """Turn CSRF checking off for one test (test_csrf.py keeps it on)."""
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def signin(app: Any, nocsrf: None) -> Callable[..., Any]:
    """Create a staff user and return a test client signed in as them through /login."""

    def make(role: str, department: str | None = None, org_unit: str | None = None) -> Any:
        username = make_user(app, role, department, org_unit, display_name=f"{role} 测试")
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": "secret123"})
        assert response.status_code == 302, response.data[:300]
        return client

    return make


@pytest.fixture
def act_as(app: Any) -> Callable[..., Any]:
    """Apply an action through the core operation, as a throwaway actor of ``role``."""

    def run(number: str, role: str = "admin", **payload: Any) -> Any:
        from hotline.core.actors import Actor
        from hotline.tickets.operations import apply_action
        from hotline.tickets.schemas import ACTION_SCHEMAS

        data = ACTION_SCHEMAS[payload["action"]]().load(payload)
        with app.app_context():
            ticket = apply_action(number, data, Actor(None, role, role, DEPT, "5101"))
            status = ticket.status
            db.session.remove()
        return status

    return run
