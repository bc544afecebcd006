"""An app on the shared test database with its own small rule set and instance folder.

The rules here are fixed by the tests (the shipped rules change as people improve them), so
what a correction teaches is known in advance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hotline import create_app
from hotline.core.extensions import db
from tests.support.plugin import make_user

RULES = """\
# Rules for the learning tests.
rules:
  - id: t.fumes
    priority: 60
    description: 油烟 → 区生态环境
    when: {any: [油烟]}
    then: {function: environment, level: district}
  - id: t.vendors
    priority: 50
    description: 占道经营 → 街道城管
    when: {any: [占道经营]}
    then: {function: urban_management, level: township}
  - id: t.rural
    priority: 50
    description: 农田 → 区农业农村
    when:
      any: [农田, 庄稼]
    then: {function: agriculture, level: district}
  - id: t.water
    priority: 50
    description: 停水 → 区水务
    when: {any: [停水]}
    then: {function: water, level: district}
  - id: t.fire
    priority: 100
    description: 着火 → 119
    when: {any: [着火]}
    then: {emergency: "119", urgent: true}
"""
COMMUNITY = "510107005001"  # 玉林北路社区, 玉林街道, 武侯区
VENDORS = "510107005-urban_management"
ENVIRONMENT = "510107-environment"
AGRICULTURE = "510107-agriculture"
WATER = "510107-water"
HEALTH = "510107-health"


@pytest.fixture(scope="session")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test rule folder."""
    folder = tmp_path_factory.mktemp("learning_rules")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def lapp_session(
    app: Any, app_env: dict[str, str], rules_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """The learning app: small auto-dispatch bar so tests can earn it quickly."""
    application = create_app(
        {
            **app_env,
            "HOTLINE_RULES_DIR": str(rules_dir),
            "HOTLINE_INSTANCE_PATH": str(tmp_path_factory.mktemp("learning_instance")),
            "HOTLINE_AUTODISPATCH_MIN": "5",
            "HOTLINE_AUTODISPATCH_THRESHOLD": "0.8",
        }
    )
    application.config["TESTING"] = True
    application.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return application


@pytest.fixture
def lapp(app: Any, lapp_session: Any) -> Iterator[Any]:
    """The learning app for one test (the shared tables are emptied after it)."""
    yield lapp_session
    with lapp_session.app_context():
        db.session.remove()


@pytest.fixture
def lclient(lapp: Any) -> Any:
    """A test client of the learning app."""
    return lapp.test_client()


def _headers(lapp: Any, lclient: Any, role: str) -> dict[str, str]:
    username = make_user(lapp, role)
    token = lclient.post(
        "/api/v1/auth/token", json={"username": username, "password": "secret123"}
    ).json["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def operator(lapp: Any, lclient: Any) -> dict[str, str]:
    """Authorization headers of an operator."""
    return _headers(lapp, lclient, "operator")


@pytest.fixture
def admin(lapp: Any, lclient: Any) -> dict[str, str]:
    """Authorization headers of an admin (acts for departments in these tests)."""
    return _headers(lapp, lclient, "admin")


@pytest.fixture
def file(lclient: Any) -> Callable[..., str]:
    """File a ticket through the public API of the learning app; return its number."""

    def make(description: str, **fields: Any) -> str:
        body = {"type": "complaint", "description": description, "phone": "13812345678"}
        body.setdefault("community_code", COMMUNITY)
        body.update(fields)
        response = lclient.post("/api/v1/tickets", json=body)
        assert response.status_code == 201, response.json
        return response.json["number"]

    return make


@pytest.fixture
def act(lclient: Any) -> Callable[..., Any]:
    """Apply an action through the API; assert it worked unless ``expect`` says otherwise."""

    def run(number: str, headers: dict[str, str], expect: int = 200, **body: Any) -> Any:
        response = lclient.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
        assert response.status_code == expect, response.json
        return response.json

    return run


@pytest.fixture
def cli(lapp: Any) -> Callable[..., Any]:
    """Run a `hotline` command against the learning app."""
    runner = lapp.test_cli_runner()

    def run(*args: str) -> Any:
        return runner.invoke(args=list(args))

    return run


@pytest.fixture
def signin(lapp: Any) -> Iterator[Callable[[str], Any]]:
    """Return a web client of the learning app signed in through /login with a new account."""
    lapp.config["WTF_CSRF_ENABLED"] = False

    def make(role: str) -> Any:
        username = make_user(lapp, role)
        client = lapp.test_client()
        response = client.post("/login", data={"username": username, "password": "secret123"})
        assert response.status_code == 302
        return client

    yield make
    lapp.config["WTF_CSRF_ENABLED"] = True
