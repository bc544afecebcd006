"""Reports, search and exports read from a real streaming replica; writers see their writes;
the lag is reported and bounded; a replica that goes away leaves the primary answering."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from hotline.core.extensions import db
from hotline.core.replica import reading
from tests.support.plugin import make_user
from tests.support.replica import Clusters
from tests.support.web import login

pytestmark = [pytest.mark.postgres, pytest.mark.replica]

BASE = {"type": "complaint", "phone": "13812345678", "community_code": "510107005001"}


def token(client: Any, app: Any, role: str, **scope: Any) -> dict[str, str]:
    """Create a user and return the Authorization header of a token for it."""
    name = make_user(app, role, **scope)
    body = client.post("/api/v1/auth/token", json={"username": name, "password": "secret123"})
    return {"Authorization": f"Bearer {body.json['token']}"}


def numbers(response: Any) -> set[str]:
    """Return the ticket numbers of a list answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return {t["number"] for t in response.json["items"]}


@pytest.fixture(scope="module")
def world(rapp: Any, clusters: Clusters) -> dict[str, Any]:
    """Three tickets about street vendors, a city supervisor, and the replica caught up."""
    client = rapp.test_client()
    for i in range(3):
        body = {**BASE, "description": f"玉林北路{i + 1}号门口有人占道经营"}
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    supervisor = token(client, rapp, "supervisor", org_unit="5101")
    # Count the aggregates once on the primary, so the replica has them too.
    assert client.get("/api/v1/stats/rates", headers=supervisor).status_code == 200
    clusters.caught_up()
    return {"supervisor": supervisor}


@pytest.fixture
def replica_sql(rapp: Any) -> Iterator[list[str]]:
    """Collect the statements the app runs on the replica (its lag checks left out)."""
    seen: list[str] = []
    engine = rapp.extensions["hotline_replica"].engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "pg_stat_wal_receiver" not in statement and statement.strip() != "SELECT 1":
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_a_marked_read_runs_on_the_standby(rapp: Any, world: dict) -> None:
    with rapp.app_context():
        with reading() as where:
            assert where.source == "replica"
            assert db.session.scalar(select(func.pg_is_in_recovery())) is True
        assert db.session.scalar(select(func.pg_is_in_recovery())) is False
        db.session.remove()


def test_figures_search_and_exports_come_from_the_replica(
    rapp: Any, world: dict, replica_sql: list[str]
) -> None:
    client = rapp.test_client()
    sup = world["supervisor"]
    rates = client.get("/api/v1/stats/rates?by=org_unit", headers=sup)
    assert rates.status_code == 200 and rates.json["total"]["received"] == 3
    assert rates.json["freshness"]["read_from"] == "replica"
    assert rates.json["freshness"]["replica_lag_seconds"] >= 0
    assert rates.headers["X-Hotline-Read-From"] == "replica"
    assert any("stats_" in s for s in replica_sql)
    public = client.get("/api/v1/stats/public")
    assert (
        public.json["freshness"]["read_from"] == "replica" and public.json["total"]["received"] == 3
    )
    found = client.get("/api/v1/tickets?q=占道经营", headers=sup)
    assert len(numbers(found)) == 3 and found.json["freshness"]["read_from"] == "replica"
    assert any("tickets" in s for s in replica_sql)
    csv = client.get("/api/v1/overdue", headers={**sup, "Accept": "text/csv"})
    assert csv.status_code == 200 and csv.headers["X-Hotline-Read-From"] == "replica"
    assert csv.get_data()  # read to the end, as a client does (see below)
    # A plain list, one ticket and the JSON overdue list stay on the primary, untouched.
    replica_sql.clear()
    first = sorted(numbers(client.get("/api/v1/tickets", headers=sup)))[0]
    detail = client.get(f"/api/v1/tickets/{first}", headers=sup)
    overdue = client.get("/api/v1/overdue", headers=sup)
    for response in (detail, overdue):
        assert response.status_code == 200 and "X-Hotline-Read-From" not in response.headers
        assert "freshness" not in response.json
    assert replica_sql == []


def test_pages_say_how_fresh_their_figures_are(rapp: Any, world: dict) -> None:
    name = make_user(rapp, "supervisor", org_unit="5101")
    browser = rapp.test_client()
    assert login(browser, name).status_code == 302
    page = browser.get("/supervisor/rates").get_data(as_text=True)
    assert "数据截至" in page and "只读副本" in page
    browser.get("/lang/en")  # the line comes from the catalogues
    assert "Figures as of" in browser.get("/supervisor/hotspots").get_data(as_text=True)
    # The overdue board (work, not figures) reads the primary and says nothing.
    assert "Figures as of" not in browser.get("/supervisor").get_data(as_text=True)
    assert browser.get("/supervisor/overdue.csv").headers["X-Hotline-Read-From"] == "replica"


def test_a_writer_sees_their_write_while_others_read_the_lagging_replica(
    rapp: Any, world: dict, clusters: Clusters
) -> None:
    client = rapp.test_client()
    writer = token(client, rapp, "operator")
    reader = token(client, rapp, "operator")
    clusters.caught_up()
    clusters.on_replica("SELECT pg_wal_replay_pause()")
    try:
        made = client.post("/api/v1/tickets", headers=writer,
                           json={**BASE, "description": "广场舞音响噪音扰民到深夜"})  # fmt: skip
        assert made.status_code == 201
        number = made.json["number"]
        # The writer reads the primary and finds it at once.
        mine = client.get("/api/v1/tickets?q=噪音扰民", headers=writer)
        assert numbers(mine) == {number}
        assert mine.json["freshness"]["read_from"] == "primary"
        # Another user reads the replica, which has not replayed it: proof of where they read.
        time.sleep(1.2)  # the lag is measured at most once a second
        theirs = client.get("/api/v1/tickets?q=噪音扰民", headers=reader)
        assert numbers(theirs) == set()
        assert theirs.json["freshness"]["read_from"] == "replica"
        assert theirs.json["freshness"]["replica_lag_seconds"] >= 1
        # Beyond the maximum lag, reads fall back to the primary.
        replica = rapp.extensions["hotline_replica"]
        replica.max_lag = 0.5
        time.sleep(1.1)
        fallback = client.get("/api/v1/tickets?q=噪音扰民", headers=reader)
        assert numbers(fallback) == {number}
        assert fallback.json["freshness"]["read_from"] == "primary"
        replica.max_lag = 30.0
    finally:
        clusters.on_replica("SELECT pg_wal_replay_resume()")
    clusters.caught_up()
    time.sleep(1.1)
    again = client.get("/api/v1/tickets?q=噪音扰民", headers=reader)
    assert numbers(again) == {number} and again.json["freshness"]["read_from"] == "replica"


def test_a_replica_that_goes_away_leaves_the_primary_answering(
    rapp: Any, world: dict, clusters: Clusters, caplog: pytest.LogCaptureFixture
) -> None:
    client = rapp.test_client()
    sup = world["supervisor"]
    replica = rapp.extensions["hotline_replica"]
    before = numbers(client.get("/api/v1/tickets?q=占道经营", headers=sup))
    figures = client.get("/api/v1/stats/rates", headers=sup).json["total"]
    replica.retry = 1.0
    clusters.pg_ctl("replica", "stop", mode="immediate")
    with caplog.at_level(logging.WARNING, logger="hotline.replica"):
        for _ in range(3):
            found = client.get("/api/v1/tickets?q=占道经营", headers=sup)
            assert numbers(found) == before
            assert found.json["freshness"]["read_from"] == "primary"
            rates = client.get("/api/v1/stats/rates", headers=sup)
            assert rates.status_code == 200 and rates.json["total"] == figures
            exported = client.get("/api/v1/overdue", headers={**sup, "Accept": "text/csv"})
            # Read to the end, as a client does: a stream left unread keeps its request context
            # pushed until the garbage collector closes it, inside whatever request runs then.
            assert exported.status_code == 200 and exported.get_data()
            assert client.get("/public").status_code == 200
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1  # logged once, not once a request
    assert replica.down
    # A replica that dies between the lag check and the query: the view runs again on the primary.
    replica._down_until, replica._checked, replica._lag = float("-inf"), time.monotonic(), 0.0
    replica._down = False
    with caplog.at_level(logging.INFO, logger="hotline.replica"):
        again = client.get("/api/v1/stats/rates", headers=sup)
    assert any("a replica read failed" in r.getMessage() for r in caplog.records)
    assert again.status_code == 200 and again.json["total"] == figures
    assert again.json["freshness"]["read_from"] == "primary"
    # Back up, it is used again once the breaker's pause is over.
    clusters.pg_ctl("replica", "start")
    clusters.wait_streaming()
    time.sleep(replica.retry + 0.1)
    back = client.get("/api/v1/tickets?q=占道经营", headers=sup)
    assert numbers(back) == before and back.json["freshness"]["read_from"] == "replica"
