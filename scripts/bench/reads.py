#!/usr/bin/env python3
"""Reads at a city-year: p50/p95 of every console page and API list, warm, against 200 ms.

    .venv/bin/python scripts/bench/reads.py --database postgresql://…/hotline_bench_1m [--runs 15]
    .venv/bin/python scripts/bench/reads.py --database …/bench_5m --against …/bench_1m  # growth

Run it on a database filled by scripts/bench/city_year.py. It creates its own staff accounts
(bench_*), picks real ticket numbers and departments from the data, warms each request up once,
then times --runs requests of each inside the app (the server's time, no network) and prints
each target with its figure. Exit status 1 when a page misses its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 200.0


def accounts(app) -> dict[str, str]:  # noqa: ANN001
    """Create (once) the bench staff accounts; return role → username."""
    from sqlalchemy import func, select

    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket
    from hotline.users.models import User
    from hotline.users.operations import create_user

    with app.app_context():
        busiest = db.session.scalar(
            select(Ticket.department_code)
            .where(Ticket.department_code.like("510107-%"))
            .group_by(Ticket.department_code)
            .order_by(func.count().desc())
            .limit(1)
        )
        wanted = {
            "bench_operator": {"role": "operator"},
            "bench_agent": {"role": "agent", "department": busiest},
            "bench_sup_city": {"role": "supervisor", "org_unit": "5101"},
            "bench_sup_district": {"role": "supervisor", "org_unit": "510107"},
        }
        for username, fields in wanted.items():
            if db.session.scalar(select(User).where(User.username == username)) is None:
                create_user({"username": username, "password": "bench12345", **fields})
        db.session.remove()
    return {k: "bench12345" for k in wanted}


def login(app, username: str):  # noqa: ANN001
    """Return a test client signed in as ``username`` and its API headers."""
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": "bench12345"}
    ).json["token"]
    client.post("/login", data={"username": username, "password": "bench12345"})
    return client, {"Authorization": f"Bearer {token}"}


def samples(app) -> dict[str, str]:  # noqa: ANN001
    """Pick a ticket number (middle of the year) and a recent one, from the data."""
    from sqlalchemy import func, select

    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    with app.app_context():
        top = db.session.scalar(select(func.max(Ticket.id)))
        mid = db.session.scalar(select(Ticket.number).where(Ticket.id == top // 2))
        db.session.remove()
    return {"number": mid}


def requests(s: dict[str, str]) -> list[tuple[str, str, str, dict[str, str]]]:
    """Return (label, who, path, extra headers) of every page and list to time."""
    n = s["number"]
    csv = {"Accept": "text/csv"}
    return [
        ("operator queue /operator", "bench_operator", "/operator", {}),
        ("department inbox /department", "bench_agent", "/department", {}),
        ("department inbox accepted", "bench_agent", "/department?state=accepted", {}),
        ("supervisor board (city)", "bench_sup_city", "/supervisor", {}),
        ("supervisor board (district)", "bench_sup_district", "/supervisor", {}),
        ("overdue API (city)", "bench_sup_city", "/api/v1/overdue", {}),
        ("overdue CSV (city)", "bench_sup_city", "/api/v1/overdue", csv),
        ("overdue CSV board (district)", "bench_sup_district", "/supervisor/overdue.csv", {}),
        ("tickets API page 1 (operator)", "bench_operator", "/api/v1/tickets", {}),
        ("tickets API page 2000", "bench_operator", "/api/v1/tickets?page=2000", {}),
        ("tickets API status=closed", "bench_operator", "/api/v1/tickets?status=closed", {}),
        ("tickets API type+district", "bench_operator",
         "/api/v1/tickets?type=report&org_unit=510107", {}),
        ("tickets API department (agent)", "bench_agent", "/api/v1/tickets?page=50", {}),
        ("tickets API supervisor district", "bench_sup_district", "/api/v1/tickets?page=20", {}),
        ("tickets API by number q=", "bench_operator", f"/api/v1/tickets?q={n}", {}),
        ("ticket detail API", "bench_operator", f"/api/v1/tickets/{n}", {}),
        ("ticket page /tickets/<n>", "bench_operator", f"/tickets/{n}", {}),
        ("rates by department (30 d)", "bench_sup_city", "/api/v1/stats/rates?by=department", {}),
        ("rates by org unit (30 d)", "bench_sup_city", "/api/v1/stats/rates?by=org_unit", {}),
        ("rates by day (year)", "bench_sup_city",
         "/api/v1/stats/rates?by=day&from=2025-12-01", {}),
        ("rates by department (year)", "bench_sup_city",
         "/api/v1/stats/rates?by=department&from=2025-12-01", {}),
        ("rates page (city)", "bench_sup_city", "/supervisor/rates", {}),
        ("rates page (district, year)", "bench_sup_district",
         "/supervisor/rates?from=2025-12-01", {}),
        ("hotspots (city)", "bench_sup_city", "/supervisor/hotspots", {}),
        ("public figures API", "anon", "/api/v1/stats/public", {}),
        ("public page /public", "anon", "/public", {}),
        ("assessment API (city, district)", "bench_sup_city",
         "/api/v1/assessment?level=district&month=2026-10", {}),
        ("rates by department (agent)", "bench_agent", "/api/v1/stats/rates?by=department", {}),
        ("rates by day (agent, year)", "bench_agent",
         "/api/v1/stats/rates?by=day&from=2025-12-01", {}),
        ("hotspots (district, year)", "bench_sup_district",
         "/supervisor/hotspots?from=2025-12-01", {}),
    ]  # fmt: skip


def prepare(url: str):  # noqa: ANN201
    """Return the app on ``url``, its signed-in clients and its requests by label."""
    os.environ["HOTLINE_DATABASE_URL"] = url
    from hotline import create_app

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in with a plain form post
    users = accounts(app)
    clients = {u: login(app, u) for u in users}
    clients["anon"] = (app.test_client(), {})
    return clients, {r[0]: r[1:] for r in requests(samples(app))}


def timed(side: tuple, label: str) -> tuple[float, int, int]:
    """Time one request of ``label`` on ``side``: (ms, status, bytes)."""
    clients, table = side
    who, path, headers = table[label]
    client, auth = clients[who]
    start = time.perf_counter()
    response = client.get(path, headers={**auth, **headers})
    body = response.get_data()
    return (time.perf_counter() - start) * 1000, response.status_code, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--against",
        help="a second database (e.g. 1 M tickets beside 5 M), timed in the same run, request by "
        "request; prints both and the ratio of their medians (growth: within 1.5x)",
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--only", help="time only the requests whose label contains one of these (comma-separated)"
    )
    args = parser.parse_args()
    os.environ.setdefault("HOTLINE_RATE_LIMIT", "0")
    sys.path.insert(0, str(ROOT))
    sides = [prepare(args.database)] + ([prepare(args.against)] if args.against else [])
    missed = 0
    head = f"{'request':36} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}"
    if args.against:
        head += f" {'other p50':>9} {'other p95':>9} {'ratio':>6}"
    print(f"{head}  target p95 < {TARGET_MS:.0f} ms")
    for label in sides[0][1]:
        if args.only and not any(part in label for part in args.only.split(",")):
            continue
        times: list[list[float]] = [[] for _ in sides]
        size, failed = 0, False
        for i in range(args.runs + 1):
            for n, side in enumerate(sides):  # interleaved: both see the same load
                ms, status, size_n = timed(side, label)
                if status != 200:
                    print(f"{label}: HTTP {status}")
                    failed = True
                    break
                if i:  # the first one warms up
                    times[n].append(ms)
                size = size if n else size_n
            if failed:
                break
        if failed or not times[0]:
            missed += 1
            continue
        p50s = [statistics.median(t) for t in times]
        p95s = [statistics.quantiles(t, n=20)[-1] if len(t) > 1 else t[0] for t in times]
        ok = p95s[0] < TARGET_MS
        missed += not ok
        line = f"{label:36} {p50s[0]:8.1f} {p95s[0]:8.1f} {size / 1024:7.0f}"
        if args.against:
            line += f" {p50s[1]:9.1f} {p95s[1]:9.1f} {p50s[0] / p50s[1]:6.2f}"
        print(f"{line}  {'MET' if ok else 'MISSED'}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
