"""Fixtures of the replica tests: one primary and its streaming replica for the module, and an
app reading from them. They run in the PostgreSQL pass of ./scripts/test only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hotline import create_app
from hotline.core.extensions import db
from tests.support.plugin import BACKEND
from tests.support.replica import Clusters, missing


def pytest_configure(config: pytest.Config) -> None:
    """Register this folder's marker (pyproject's list is for the whole suite's)."""
    config.addinivalue_line(
        "markers", "replica: starts a PostgreSQL primary and a streaming replica (PostgreSQL pass)"
    )


@pytest.fixture(scope="module")
def clusters() -> Iterator[Clusters]:
    """A primary and a replica streaming from it, started for the module, then removed."""
    if BACKEND != "postgresql":
        pytest.skip(
            "SKIPPED: the replica tests run once, in the PostgreSQL pass (HOTLINE_TEST_DB=postgresql)"
        )
    reason = missing()
    if reason:
        pytest.skip(reason)
    pair = Clusters()
    try:
        pair.start()
        yield pair
    finally:
        pair.stop()


@pytest.fixture(scope="module")
def rapp(
    clusters: Clusters, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The app on the migrated primary (Chengdu loaded), reading reports from the replica."""
    from flask_migrate import upgrade

    from hotline.org.operations import import_city

    app = create_app(
        {
            "HOTLINE_DATABASE_URL": clusters.url(clusters.primary_port),
            "HOTLINE_DATABASE_REPLICA_URL": clusters.url(clusters.replica_port),
            "REDIS_URL": redis_url,
            "HOTLINE_INSTANCE_PATH": str(tmp_path_factory.mktemp("replica-instance")),
            "HOTLINE_SECRET_KEY": "test-secret",
            "HOTLINE_RATE_LIMIT": "0",
            "HOTLINE_SMS_PER_PHONE_HOUR": "0",
            "HOTLINE_SMS_PER_PHONE_DAY": "0",
            "HOTLINE_STATS_MAX_AGE": "0",
        }
    )
    app.config["TESTING"] = True
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    with app.app_context():
        upgrade()
        import_city("5101")
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    app.extensions["hotline_replica"].engine.dispose()
