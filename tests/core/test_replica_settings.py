"""The read replica's settings, its lag rules and its routing, without a replica running
(the real one is started by tests/replica in the PostgreSQL pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError, load_settings
from hotline.core.replica import replica_lag
from hotline.replica_reads import ROUTES

PG = "postgresql://hotline@db.example/hotline"


def settings(tmp_path: Path, **env: str):  # noqa: ANN201
    return load_settings({"HOTLINE_SECRET_KEY": "x", **env}, instance_path=tmp_path)


def test_no_replica_by_default(tmp_path: Path) -> None:
    s = settings(tmp_path)
    assert s.replica_url is None and s.replica_max_lag == 30.0 and s.replica_retry == 10


def test_replica_url_and_limits_are_read(tmp_path: Path) -> None:
    s = settings(tmp_path, HOTLINE_DATABASE_URL=PG,
                 HOTLINE_DATABASE_REPLICA_URL="postgres://reader@standby/hotline",
                 HOTLINE_REPLICA_MAX_LAG="2.5", HOTLINE_REPLICA_RETRY="3")  # fmt: skip
    assert s.replica_url == "postgresql+psycopg://reader@standby/hotline"
    assert s.replica_max_lag == 2.5 and s.replica_retry == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HOTLINE_DATABASE_REPLICA_URL": "sqlite:///x.db", "HOTLINE_DATABASE_URL": PG},
         "a read replica is a PostgreSQL standby"),
        ({"HOTLINE_DATABASE_REPLICA_URL": PG}, "HOTLINE_DATABASE_URL is not PostgreSQL"),
        ({"HOTLINE_DATABASE_URL": PG, "HOTLINE_REPLICA_MAX_LAG": "soon"}, "expected a number"),
        ({"HOTLINE_DATABASE_URL": PG, "HOTLINE_REPLICA_MAX_LAG": "-1"}, "at least 0"),
        ({"HOTLINE_REPLICA_RETRY": "0"}, "HOTLINE_REPLICA_RETRY"),
    ],
)  # fmt: skip
def test_bad_replica_settings_say_which_and_why(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, **env)


def test_a_bad_replica_url_is_not_echoed_with_its_password(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        settings(tmp_path, HOTLINE_DATABASE_URL=PG,
                 HOTLINE_DATABASE_REPLICA_URL="mysql://u:s3cret@h/db")  # fmt: skip
    assert "s3cret" not in str(error.value)


def test_lag_rules() -> None:
    # A standby that streams and has replayed all it received is fresh, however old its
    # last transaction (a quiet primary).
    assert replica_lag(True, True, True, "streaming", 3600.0) == 0.0
    assert replica_lag(True, True, True, None, 3600.0) == 0.0  # status hidden without privilege
    # Behind, or no longer streaming: as old as its last replayed transaction.
    assert replica_lag(True, False, True, "streaming", 4.2) == 4.2
    assert replica_lag(True, True, False, None, 90.0) == 90.0
    assert replica_lag(True, False, True, "streaming", None) is None  # nothing replayed yet
    assert replica_lag(True, False, True, "streaming", -0.3) == 0.0  # clocks a hair apart
    assert replica_lag(False, False, False, None, None) == 0.0  # a primary (promoted)


def test_every_replica_route_names_a_view(app) -> None:  # noqa: ANN001
    assert set(ROUTES) <= set(app.view_functions)


def test_without_a_replica_nothing_changes(app, client, staff) -> None:  # noqa: ANN001
    assert "hotline_replica" not in app.extensions
    sup = staff("supervisor", org_unit="5101")
    for path in ("/api/v1/stats/rates", "/api/v1/stats/public", "/api/v1/tickets?q=噪音"):
        response = client.get(path, headers=sup)
        assert response.status_code == 200
        assert "X-Hotline-Read-From" not in response.headers
        assert "freshness" not in response.json
