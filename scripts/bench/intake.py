#!/usr/bin/env python3
"""Intake throughput: the hotline's POST /api/v1/tickets against two bare baselines, one run.

    .venv/bin/python scripts/bench/intake.py [--seconds 5] [--rounds 3] [--connections 16]
        [--workers 2] [--threads 4]

Three gunicorn servers with the same settings (default 2 workers × 4 threads) take turns under
the same load (16 keep-alive connections, rounds interleaved so a noisy neighbour hurts all alike):

  (a) bare Flask answering JSON 201;
  (b) bare Flask + one psycopg INSERT + commit;
  hotline: the real intake (number, routing, events, outbox receipt) on PostgreSQL.

It prints throughput, p50/p99, app CPU per request (the gunicorn workers' CPU time / requests)
and database CPU per request (the PostgreSQL backends of the scratch database) for each, the
ratios and each target with its figure and PASS/MISS; then checks that every 201 the hotline
gave is a ticket in the database, no number twice, each of the form YYYYMMDD-NNNNNN with the
local day of its creation. The scratch database (created on --server, default the local
PostgreSQL) is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TEXTS = [
    "小区门口有人占道经营，晚上噪音很大，影响居民休息",
    "楼下烧烤店油烟太大，窗户都不敢开",
    "工地夜间施工噪音扰民，已经持续一周",
    "小区停水两天了，物业说不清楚原因",
    "路口红绿灯坏了，车辆乱行很危险",
    "公交车到站不停，等车的老人上不去",
    "单位拖欠三个月工资，要求帮助追讨",
    "人行道上违章停车严重，行人只能走机动车道",
]
PLACES = ["武侯区玉林街道", "锦江区春熙路街道", "青羊区草市街街道", "成华区", "金牛区", ""]
TYPES = ["complaint", "help", "consultation", "report", "suggestion"]


@dataclass
class Result:
    """What one target did over all its rounds."""

    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Each round's (201 answers, seconds): the spread of the ratio from round to round.
    rounds: list[tuple[int, float]] = field(default_factory=list)
    cpu: float = 0.0
    db_cpu: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(len(data) * p))] * 1000 if data else float("nan")

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.ok * 1000 if self.ok else float("nan")

    @property
    def db_cpu_ms(self) -> float:
        return self.db_cpu / self.ok * 1000 if self.ok else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bodies(n: int = 32768) -> list[bytes]:
    """Return ``n`` different intake bodies (texts, places, types, phones).

    Enough phones that none reaches the per-phone SMS limit (5 an hour) during a run: residents
    are many, and a refused receipt (a warning in the log) is the abuse path, not intake's.
    A run sends 10,000-20,000 tickets from 16 connections that each walk the bodies from a
    random place; with 4,096 of them, the walks overlapped and some phones passed five.
    """
    rng = random.Random(13)
    out = []
    for i in range(n):
        body = {
            "type": rng.choice(TYPES),
            "description": rng.choice(TEXTS),
            "address": rng.choice(PLACES) or None,
            "phone": f"138{rng.randrange(10**8):08d}"
            if i % 4
            else f"028{rng.randrange(10**8):08d}",
        }
        out.append(json.dumps({k: v for k, v in body.items() if v}).encode())
    return out


def request_bytes(port: int, body: bytes) -> bytes:
    head = (
        f"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_connection(port: int, reqs: list[bytes], until: float, result: Result) -> None:
    """Send requests back to back on one keep-alive connection until ``until``."""
    reader = writer = None
    i = random.randrange(len(reqs))
    while time.monotonic() < until:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        start = time.perf_counter()
        writer.write(reqs[i % len(reqs)])
        i += 1
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            writer = None
            continue
        status = int(head[9:12])
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
        body = await reader.readexactly(length)
        result.latencies.append(time.perf_counter() - start)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == 201 and result.name == "hotline":
            result.numbers.append(json.loads(body)["number"])
        if re.search(rb"(?i)connection:\s*close", head):
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def load(port: int, reqs: list[bytes], seconds: float, conns: int, result: Result) -> None:
    until = time.monotonic() + seconds
    await asyncio.gather(*(one_connection(port, reqs, until, result) for _ in range(conns)))


def worker_cpu(master: int) -> float:
    """Return the CPU seconds (user + system) used so far by the gunicorn workers of ``master``."""
    return _cpu(lambda pid, parent: parent == master)


def database_cpu(database: str) -> float:
    """Return the CPU seconds used so far by the PostgreSQL backends serving ``database``.

    Only one server is under load at a time, so a round's difference is that server's.
    """
    marker = f" {database} ".encode()
    return _cpu(lambda pid, parent: marker in _cmdline(pid))


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _cpu(wanted) -> float:  # noqa: ANN001
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if wanted(pid, int(fields[1])):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Server:
    """One gunicorn server (``workers`` × ``threads``, the same for every target) on a free port."""

    def __init__(
        self, name: str, app: str, env: dict[str, str], chdir: Path, workers: int, threads: int
    ) -> None:
        self.name, self.port = name, free_port()
        cmd = [str(BIN / "gunicorn"), "-w", str(workers), "--threads", str(threads), "--backlog", "256",
               "-b", f"127.0.0.1:{self.port}", "--chdir", str(chdir), "--log-level", "warning",
               app]  # fmt: skip
        self.proc = subprocess.Popen(cmd, env=env, start_new_session=True)

    def wait(self, path: str = "/") -> None:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{self.name} did not start")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


def check_numbers(url: str, numbers: list[str]) -> list[str]:
    """Return what is wrong with the hotline's numbers (empty: nothing)."""
    problems = []
    if len(set(numbers)) != len(numbers):
        problems.append(f"{len(numbers) - len(set(numbers))} duplicate numbers in 201 answers")
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT number, to_char(created_at AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai',"
            " 'YYYYMMDD') FROM tickets"
        ).fetchall()
    stored = {n: day for n, day in rows}
    missing = [n for n in numbers if n not in stored]
    if missing:
        problems.append(f"{len(missing)} numbers answered 201 but not stored, e.g. {missing[:3]}")
    if len(stored) != len(rows):
        problems.append("duplicate numbers stored")
    bad = [n for n, day in stored.items() if not re.fullmatch(r"\d{8}-\d{6}", n) or n[:8] != day]
    if bad:
        problems.append(f"{len(bad)} numbers not YYYYMMDD-NNNNNN of their local day: {bad[:3]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=5.0, help="per target per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, every target")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker, every target")
    parser.add_argument(
        "--profile",
        metavar="SVG",
        help="py-spy the hotline workers into SVG (flame graph) or .txt (collapsed stacks)",
    )
    args = parser.parse_args()

    name = f"hotline_bench_intake_{os.getpid()}"
    admin = psycopg.connect(args.server, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = args.server.rsplit("/", 1)[0] + "/" + name
    instance = Path(tempfile.mkdtemp(prefix="hotline-intake-"))
    env = dict(os.environ, HOTLINE_DATABASE_URL=url, HOTLINE_INSTANCE_PATH=str(instance),
               HOTLINE_RATE_LIMIT="0", HOTLINE_SECRET_KEY="bench", BENCH_DATABASE_URL=url,
               PYTHONPATH=str(ROOT))  # fmt: skip
    servers: list[Server] = []
    try:
        for cmd in (["db", "upgrade"], ["org", "import"]):
            subprocess.run([str(BIN / "hotline"), *cmd], env=env, check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE bench_intake (id bigserial PRIMARY KEY, type text,"
                         " description text, phone text, created_at timestamptz DEFAULT now())")  # fmt: skip
        shape = (args.workers, args.threads)
        servers = [
            Server("(a) bare Flask JSON 201", "intake_baselines:json_app()", env, BENCH / "lib",
                   *shape),
            Server("(b) bare Flask + INSERT", "intake_baselines:insert_app()", env, BENCH / "lib",
                   *shape),
            Server("hotline", "app:create_app()", env, ROOT, *shape),
        ]  # fmt: skip
        for server in servers:
            server.wait("/healthz" if server.name == "hotline" else "/")
        reqs = {s.name: [request_bytes(s.port, b) for b in bodies()] for s in servers}
        results = {s.name: Result(s.name) for s in servers}
        # Warm up until each server's rate settles: every worker loads the router (and jieba)
        # on its first tickets, which takes seconds on a busy machine; connections open.
        for s in servers:
            warm_up(s, reqs[s.name], args.connections)
        spy = None
        for r in range(args.rounds):
            order = servers if r % 2 == 0 else servers[::-1]
            for s in order:
                res = results[s.name]
                if args.profile and s.name == "hotline" and spy is None:
                    spy = subprocess.Popen([str(BIN / "py-spy"), "record", "-o", args.profile,
                                            "--pid", str(s.proc.pid), "--subprocesses",
                                            "-d", str(int(args.seconds)), "--nonblocking", "--gil", "--rate", "400",
                                            *(["--format", "raw"] if args.profile.endswith(".txt")
                                              else [])])  # fmt: skip
                cpu0, db0, t0 = worker_cpu(s.proc.pid), database_cpu(name), time.monotonic()
                ok0 = res.ok
                asyncio.run(load(s.port, reqs[s.name], args.seconds, args.connections, res))
                res.seconds += time.monotonic() - t0
                res.rounds.append((res.ok - ok0, time.monotonic() - t0))
                res.cpu += worker_cpu(s.proc.pid) - cpu0
                res.db_cpu += database_cpu(name) - db0
        if spy is not None:
            spy.wait()
        report(results, args)
        problems = check_numbers(url, results["hotline"].numbers)
        print("numbers: " + ("; ".join(problems) if problems else
              f"{len(results['hotline'].numbers)} tickets, none lost, none twice, all"
              " YYYYMMDD-NNNNNN of their local day"))  # fmt: skip
        if problems:
            sys.exit(1)
    finally:
        for server in servers:
            server.stop()
        subprocess.run([str(BIN / "python"), "-c",
                        "import sys; from hotline.core.redis_server import stop_embedded;"
                        " from pathlib import Path; stop_embedded(Path(sys.argv[1]))",
                        str(instance)], cwd=ROOT, check=False, stderr=subprocess.DEVNULL)  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def warm_up(server: Server, reqs: list[bytes], conns: int, most: int = 20) -> None:
    """Load ``server`` one second at a time until two seconds in a row agree within 15%."""
    rates: list[int] = []
    for _ in range(most):
        res = Result("warm")
        asyncio.run(load(server.port, reqs, 1.0, conns, res))
        rates.append(res.ok)
        if len(rates) >= 3 and abs(rates[-1] - rates[-2]) <= 0.15 * max(rates[-2:]):
            return


def report(results: dict[str, Result], args: argparse.Namespace) -> None:
    """Print each target with its figure and baseline."""
    print(f"\nintake, {args.connections} connections, gunicorn {args.workers}×{args.threads} "
          f"(workers × threads, every server), {args.rounds} interleaved rounds of "
          f"{args.seconds:g} s each")  # fmt: skip
    print(f"{'server':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} "
          f"{'DB CPU ms/req':>14}  statuses")  # fmt: skip
    for res in results.values():
        print(f"{res.name:28} {res.rate:8.0f} {res.pct(0.5):8.1f} {res.pct(0.99):8.1f} "
              f"{res.cpu_ms:11.2f} {res.db_cpu_ms:14.2f}  "
              f"{dict(sorted(res.statuses.items()))}")  # fmt: skip
    a, b, h = results.values()
    print(f"\nhotline / (a) bare Flask JSON: {h.rate / a.rate:.2f}×")
    print(f"hotline / (b) bare Flask + INSERT: {h.rate / b.rate:.2f}×")
    each = [(hn / hs) / (bn / bs) for (hn, hs), (bn, bs) in zip(h.rounds, b.rounds, strict=True)]
    print("hotline / (b), round by round: " + " ".join(f"{r:.2f}" for r in each))
    checks = [
        ("throughput >= 0.5 × baseline (b)", h.rate >= 0.5 * b.rate,
         f"{h.rate:.0f}/s vs {b.rate:.0f}/s = {h.rate / b.rate:.2f}×"),
        ("app CPU per intake <= 2 ms", h.cpu_ms <= 2.0,
         f"{h.cpu_ms:.2f} ms (baseline (b) {b.cpu_ms:.2f} ms)"),
        ("p99 < 100 ms at 16 connections", h.pct(0.99) < 100,
         f"{h.pct(0.99):.1f} ms (baseline (b) {b.pct(0.99):.1f} ms)"),
    ]  # fmt: skip
    for label, ok, figure in checks:
        print(f"target: {label:34} {'PASS' if ok else 'MISS'}  {figure}")


if __name__ == "__main__":
    main()
