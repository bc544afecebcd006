"""Faults the SLA machinery must survive, with real Redis and real `hotline worker` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from hotline import create_app
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.sla.models import SlaMark
from hotline.tasks.queues import ESCALATION
from tests.support.plugin import start_redis
from tests.support.sla import (
    COMMUNITY_DEPT,
    bulk_due,
    duplicates,
    make_due,
    overdue_count,
    set_duty_phone,
    ticket,
)

pytestmark = pytest.mark.slow
BACKEND = os.environ.get("HOTLINE_TEST_DB", "sqlite")
HOTLINE = str(Path(sys.executable).with_name("hotline"))


def spawn(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen:
    """Start a hotline process in its own process group (so SIGKILL takes its work horse too)."""
    return subprocess.Popen(
        [HOTLINE, *args],
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def wait_for(predicate, timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def assert_exactly_once(ids: list[int]) -> None:
    assert overdue_count(ids) == len(ids)
    assert duplicates(ids) == []
    assert db.session.scalar(select(func.count()).select_from(SlaMark)) == len(ids)


def test_sigkill_mid_sweep_loses_and_doubles_nothing(app, app_env, redis_url, tmp_path):
    set_duty_phone(app)
    with app.app_context():
        ids = bulk_due(1500, utcnow() - timedelta(minutes=1))
    queue = Queue(ESCALATION, connection=Redis.from_url(redis_url))
    queue.enqueue("hotline.sla.tasks.sweep", batch_size=20, job_timeout=600)
    log = tmp_path / "worker.log"
    worker = spawn(app_env, "worker", "-q", ESCALATION, "--no-scheduler", log=log)
    try:
        with app.app_context():
            started = wait_for(lambda: overdue_count(ids) >= 100, 60)
            assert started, log.read_text()[-2000:]
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
            done = overdue_count(ids)
            assert 0 < done < len(ids), "the kill must land mid-sweep"
    finally:
        stop(worker, signal.SIGKILL)
    # Another run picks up the rest.
    queue.enqueue("hotline.sla.tasks.sweep", job_timeout=600)
    rerun = spawn(app_env, "worker", "-q", ESCALATION, "--burst", "--no-scheduler", log=log)
    assert rerun.wait(120) == 0, log.read_text()[-2000:]
    with app.app_context():
        assert_exactly_once(ids)


@pytest.mark.skipif(BACKEND != "postgresql", reason="row locks: PostgreSQL only")
def test_two_workers_sweeping_at_once_escalate_once(app, app_env, redis_url, tmp_path):
    with app.app_context():
        ids = bulk_due(2000, utcnow() - timedelta(minutes=1))
    queue = Queue(ESCALATION, connection=Redis.from_url(redis_url))
    jobs = [queue.enqueue("hotline.sla.tasks.sweep", batch_size=50) for _ in range(2)]
    log = tmp_path / "workers.log"
    workers = [
        spawn(app_env, "worker", "-q", ESCALATION, "--burst", "--no-scheduler", log=log)
        for _ in range(2)
    ]
    for w in workers:
        assert w.wait(120) == 0, log.read_text()[-2000:]
    results = [j.latest_result().return_value for j in jobs]
    assert sum(r["acts"] for r in results) == len(ids)
    with app.app_context():
        assert_exactly_once(ids)


def test_redis_outage_loses_no_ticket_and_no_escalation(app, app_env, staff, tmp_path):
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    redis_proc, url = start_redis(redis_dir)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    env = {**app_env, "REDIS_URL": url, "HOTLINE_SWEEP_INTERVAL": "1"}
    log = tmp_path / "procs.log"
    procs = [spawn(env, "worker", log=log), spawn(env, "scheduler", log=log)]
    own = create_app(env)
    own.config["TESTING"] = True
    client = own.test_client()
    operator = staff("operator")
    try:
        redis_proc.terminate()
        redis_proc.wait(10)
        numbers = []
        for i in range(5):
            created = client.post(
                "/api/v1/tickets",
                json={"type": "complaint", "description": f"停电第{i}次", "phone": "13812345678"},
            )
            assert created.status_code == 201, created.json
            numbers.append(created.json["number"])
            dispatched = client.post(
                f"/api/v1/tickets/{numbers[-1]}/actions",
                json={"action": "dispatch", "department": COMMUNITY_DEPT},
                headers=operator,
            )
            assert dispatched.status_code == 200, dispatched.json
        with app.app_context():
            ids = [ticket(n).id for n in numbers]
            make_due(ids, utcnow() - timedelta(seconds=1))  # they fell due while Redis was down
            assert overdue_count(ids) == 0
        redis_proc, _ = start_redis(redis_dir, port)
        with app.app_context():
            ok = wait_for(lambda: overdue_count(ids) == len(ids), 60, every=0.5)
            assert ok, log.read_text()[-3000:]
            assert duplicates(ids) == []
    finally:
        for proc in procs:
            stop(proc)
        with own.app_context():
            db.engine.dispose()
        redis_proc.terminate()
        redis_proc.wait(10)
