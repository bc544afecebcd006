"""Benchmark the live queue: many open consoles polling /live/stamp on 2 workers x 4 threads.

Usage: .venv/bin/python scripts/bench/live.py [--consoles 300] [--seconds 30] [--interval 1.0]
Starts gunicorn (-w 2 --threads 4, the default deployment) on a scratch SQLite database and
its own redis-server; signs one operator in; opens N simulated consoles that poll like
static/live.js (If-None-Match, and a reload of /operator on a change); files a ticket every
5 s; and probes another request (GET /api/v1/tickets/<number>) every 0.2 s, first alone, then
under the consoles' load. Prints poll, reload and probe latencies, and how fast a new ticket
reached the consoles.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from sla import start_redis  # noqa: E402


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<34} (none)"
    return (f"{label:<34} n={len(values):<6} p50={statistics.median(values):7.1f} ms  "
            f"p95={pct(values, 0.95):7.1f} ms  max={max(values):7.1f} ms")  # fmt: skip


class Client:
    """One keep-alive HTTP connection with the operator's session cookie."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.port, self.cookie = port, cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in (1, 2):
            try:
                data = body.encode() if body is not None else None
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def sign_in(port: int) -> str:
    """Sign the operator in through /login; return the session cookie."""
    client = Client(port)
    _, headers, page = client.request("GET", "/login")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": "operator", "password": "operator123", "csrf_token": token}
    )
    client.cookie = cookie
    status, headers, _ = client.request(
        "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status in (302, 303), status
    return headers["Set-Cookie"].split(";")[0]


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--consoles", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    opts = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-live-"))
    redis_proc, redis_url = start_redis(scratch)
    with socket.socket() as probe_socket:  # a port nobody listens on
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    env = {
        **os.environ,
        "HOTLINE_DATABASE_URL": f"sqlite:///{scratch / 'hotline.db'}",
        "REDIS_URL": redis_url,
        "HOTLINE_INSTANCE_PATH": str(scratch),
        "HOTLINE_SECRET_KEY": "bench",
        "HOTLINE_RATE_LIMIT": "0",
    }
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True)  # fmt: skip
    for command in (["org", "import"], ["demo", "seed"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", *command], cwd=ROOT,
                       env=env, check=True, capture_output=True)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "app:create_app()"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    stop = threading.Event()
    try:
        for _ in range(100):
            try:
                Client(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)  # both workers up
        cookie = sign_in(port)
        intake = Client(port)
        body = '{"type":"complaint","description":"玉林北路有人占道经营","phone":"13812345678"}'
        json_headers = {"Content-Type": "application/json"}
        status, _, data = intake.request("POST", "/api/v1/tickets", body, json_headers)
        number = re.search(rb'"number":\s*"([^"]+)"', data).group(1).decode()
        probe_path = f"/api/v1/tickets/{number}"

        def probe(seconds: float) -> list[float]:
            client, samples, end = Client(port, cookie), [], time.monotonic() + seconds
            while time.monotonic() < end:
                start = time.perf_counter()
                status, _, _ = client.request("GET", probe_path)
                assert status == 200, status
                samples.append((time.perf_counter() - start) * 1000)
                time.sleep(0.2)
            return samples

        baseline = probe(8)
        polls: list[float] = []
        reloads: list[float] = []
        seen: list[float] = []
        filed: dict[str, float] = {}
        codes: dict[int, int] = {}
        lock = threading.Lock()

        def console() -> None:
            client, etag = Client(port, cookie), None
            time.sleep(random.random() * opts.interval)
            while not stop.is_set():
                start = time.perf_counter()
                try:
                    status, headers, _ = client.request(
                        "GET", "/live/stamp", headers={"If-None-Match": etag} if etag else {}
                    )
                except OSError:
                    status, headers = 0, {}
                took = (time.perf_counter() - start) * 1000
                with lock:
                    polls.append(took)
                    codes[status] = codes.get(status, 0) + 1
                if status == 200:
                    first, etag = etag is None, headers.get("ETag")
                    if not first:
                        time.sleep(random.random() * 0.3)  # live.js spreads reloads too
                        start = time.perf_counter()
                        client.request("GET", "/operator", headers={"X-Live": "1"})
                        now = time.perf_counter()
                        with lock:
                            reloads.append((now - start) * 1000)
                            if filed:
                                seen.append((time.monotonic() - max(filed.values())) * 1000)
                time.sleep(opts.interval)

        def writer() -> None:
            client = Client(port)
            while not stop.is_set():
                time.sleep(5)
                status, _, data = client.request("POST", "/api/v1/tickets", body, json_headers)
                with lock:
                    filed[str(len(filed))] = time.monotonic()

        threads = [threading.Thread(target=console, daemon=True) for _ in range(opts.consoles)]
        threads.append(threading.Thread(target=writer, daemon=True))
        for t in threads:
            t.start()
        time.sleep(3)  # every console has polled once
        loaded = probe(opts.seconds)
        stop.set()
        for t in threads:
            t.join(10)
        rate = len(polls) / (opts.seconds + 3)
        print(f"\n{opts.consoles} consoles polling every {opts.interval:g} s on gunicorn -w 2 --threads 4,"
              f" a new ticket every 5 s, {opts.seconds} s")  # fmt: skip
        print(f"polls: {len(polls)} ({rate:.0f}/s), status counts {dict(sorted(codes.items()))}")
        print(line("poll /live/stamp", polls))
        print(line("console reload of /operator", reloads))
        print(line("new ticket -> console saw it", seen))
        print(line("other request, alone", baseline))
        print(line("other request, under the load", loaded))
    finally:
        stop.set()
        server.terminate()
        server.wait(20)
        redis_proc.terminate()
        redis_proc.wait(10)


if __name__ == "__main__":
    main()
