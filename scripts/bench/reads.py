#!/usr/bin/env python3
"""Reads at a city-year: p50/p95 of every console page and API list, warm, against 200 ms.

    .venv/bin/python scripts/bench/reads.py --database postgresql://…/hotline_bench_1m [--runs 40]
    .venv/bin/python scripts/bench/reads.py --database …/bench_5m --against …/bench_1m  # growth

Run it on a database filled by scripts/bench/city_year.py. It creates its own staff accounts
(bench_*), picks real ticket numbers and departments from the data, warms each request up once,
then times --runs requests of each inside the app (the server's time, no network) and prints
each target with its figure: p95 under 200 ms and, with --against, the growth (p50 here over
p50 there, at most 1.5). Exit status 1 when a page misses either.

Forty runs by default: the p95 of fewer than twenty samples is their slowest, and one pause of
a shared machine (a virtual CPU descheduled mid-request) would stand for the page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 200.0
# The same page at 5 M and at 1 M tickets: p50 within this factor (--against).
GROWTH = 1.5


def accounts(app) -> dict[str, str]:  # noqa: ANN001
    """Create (once) the bench staff accounts; return role → username."""
    from sqlalchemy import func, select

    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket
    from hotline.users.models import User
    from hotline.users.operations import create_user

    with app.app_context():
        # The busiest department of the city (a sample of the newest tickets decides).
        recent = select(Ticket.department_code).order_by(Ticket.id.desc()).limit(20000).subquery()
        busiest = db.session.scalar(
            select(recent.c.department_code)
            .where(recent.c.department_code.is_not(None))
            .group_by(recent.c.department_code)
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
    """Pick a ticket number (middle of the data), its township and its month, from the data.

    The month filter asks for the middle ticket's month: a month each database holds, so two
    databases of different histories compare a month's list with a month's list.
    """
    from sqlalchemy import func, select

    from hotline.core.extensions import db
    from hotline.tickets.listing import cursor_of
    from hotline.tickets.models import Ticket

    with app.app_context():
        top = db.session.scalar(select(func.max(Ticket.id)))
        mid = db.session.get(Ticket, top // 2)
        township = db.session.scalar(
            select(func.substr(Ticket.org_unit_code, 1, 9)).where(Ticket.id == top // 3)
        )
        first = mid.created_at.date().replace(day=1)
        last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        sample = {"number": mid.number, "cursor": cursor_of(mid), "township": township,
                  "month": f"created_from={first}&created_to={last}"}  # fmt: skip
        db.session.remove()
    return sample


DEPARTMENT_TABS = ("dispatched", "accepted", "assisting", "reviewing", "resolved", "returned",
                   "closed")  # fmt: skip


def FILTERS(s: dict[str, str]) -> list[tuple[str, str]]:  # noqa: N802 - a table
    """Return (label, query) of each filter of the ticket list, one at a time and combined."""
    return [
        ("status=closed", "status=closed"),
        ("status=accepted", "status=accepted"),
        ("type=praise", "type=praise"),
        ("channel=api", "channel=api"),
        ("urgent", "urgent=true"),
        ("function", "function=urban_management"),
        ("district", "org_unit=510107"),
        ("township", f"org_unit={s['township']}"),
        ("type+district", "type=report&org_unit=510107"),
        ("month", s["month"]),
        ("overdue", "overdue=true"),
        ("due_soon", "due_soon=true"),
    ]


def requests(s: dict[str, str]) -> list[tuple[str, str, str, dict[str, str]]]:
    """Return (label, who, path, extra headers) of every page and list to time."""
    n, cur = s["number"], s["cursor"]
    csv = {"Accept": "text/csv"}
    return [
        ("operator queue /operator", "bench_operator", "/operator", {}),
        ("operator follow-up tab", "bench_operator", "/operator/follow-up", {}),
        ("operator unsatisfied tab", "bench_operator", "/operator/unsatisfied", {}),
        ("operator auto-dispatch tab", "bench_operator", "/operator/auto", {}),
        ("operator knowledge tab", "bench_operator", "/operator/knowledge?q=公积金", {}),
        *(
            (f"department inbox {tab}", "bench_agent", f"/department?state={tab}", {})
            for tab in DEPARTMENT_TABS
        ),
        ("supervisor board (city)", "bench_sup_city", "/supervisor", {}),
        ("supervisor board (district)", "bench_sup_district", "/supervisor", {}),
        ("supervisor board page 5 by level", "bench_sup_city", "/supervisor?page=5&sort=level", {}),
        ("supervisor board function+area", "bench_sup_city",
         "/supervisor?function=urban_management&org_unit=510107", {}),
        ("overdue API (city)", "bench_sup_city", "/api/v1/overdue", {}),
        ("overdue API (district)", "bench_sup_district", "/api/v1/overdue", {}),
        ("overdue CSV (city)", "bench_sup_city", "/api/v1/overdue", csv),
        ("overdue CSV board (district)", "bench_sup_district", "/supervisor/overdue.csv", {}),
        ("tickets API page 1 (operator)", "bench_operator", "/api/v1/tickets", {}),
        ("tickets API page 2000", "bench_operator", "/api/v1/tickets?page=2000", {}),
        ("tickets API after (mid-year)", "bench_operator", f"/api/v1/tickets?after={cur}", {}),
        *(
            (f"tickets API {name}{label}", "bench_operator",
             f"/api/v1/tickets?{query}{depth}", {})
            for name, query in FILTERS(s)
            for label, depth in (("", ""), (" p200", "&page=200"), (" after", f"&after={cur}"))
        ),
        ("tickets API department (agent)", "bench_agent", "/api/v1/tickets", {}),
        ("tickets API department p20", "bench_agent", "/api/v1/tickets?page=20", {}),
        ("tickets API department after", "bench_agent", f"/api/v1/tickets?after={cur}", {}),
        ("tickets API supervisor district", "bench_sup_district", "/api/v1/tickets?page=20", {}),
        ("tickets API sup district p200", "bench_sup_district", "/api/v1/tickets?page=200", {}),
        ("search page status=accepted", "bench_operator", "/search?status=accepted", {}),
        ("supervisor all tickets (district)", "bench_sup_district", "/supervisor/tickets", {}),
        ("supervisor due-soon (city)", "bench_sup_city", "/supervisor/due-soon", {}),
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


def watch_statements(app, slower_than: float) -> None:  # noqa: ANN001
    """Print every SQL statement slower than ``slower_than`` ms, with its parameters."""
    from sqlalchemy import event

    from hotline.core.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, params, context, many):  # noqa: ANN001, ARG001
        conn.info["bench_start"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, params, context, many):  # noqa: ANN001, ARG001
        ms = (time.perf_counter() - conn.info.pop("bench_start", time.perf_counter())) * 1000
        if ms >= slower_than:
            print(f"  -- {ms:.0f} ms: {statement} {params!r}"[:3000])


def stream_check(client, path: str, headers: dict[str, str]) -> str:  # noqa: ANN001
    """Return the first byte's time, the rows and the peak Python memory of one streamed export."""
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(path, headers=headers, buffered=False)
    chunks = iter(response.response)
    first = next(chunks, b"")
    ttfb = (time.perf_counter() - start) * 1000
    lines = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    response.close()
    return f"first byte {ttfb:.0f} ms, {lines - 1} rows, peak {peak / 2**20:.1f} MB"


def prepare(url: str, slow: float | None = None):  # noqa: ANN201
    """Return the app on ``url``, its signed-in clients and its requests by label."""
    os.environ["HOTLINE_DATABASE_URL"] = url
    from hotline import create_app

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in with a plain form post
    if slow:
        watch_statements(app, slow)
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
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--only", help="time only the requests whose label contains one of these (comma-separated)"
    )
    parser.add_argument("--skip", help="skip the requests whose label contains any of a|b|c")
    parser.add_argument("--slow", type=float, help="print each SQL statement slower than this (ms)")
    args = parser.parse_args()
    os.environ.setdefault("HOTLINE_RATE_LIMIT", "0")
    sys.path.insert(0, str(ROOT))
    sides = [prepare(args.database, args.slow)]
    sides += [prepare(args.against, args.slow)] if args.against else []
    missed = timed_pages = grown = 0
    head = f"{'request':36} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}"
    if args.against:
        head += f" {'other p50':>9} {'other p95':>9} {'ratio':>6}"
    head += f"  target p95 < {TARGET_MS:.0f} ms"
    print(head + (f"  growth <= {GROWTH}x" if args.against else ""))
    for label in sides[0][1]:
        if args.only and not any(part in label for part in args.only.split(",")):
            continue
        if args.skip and any(word in label for word in args.skip.split("|")):
            continue
        timed_pages += 1
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
        line += f"  {'MET' if ok else 'MISSED':18}"
        if args.against:
            flat = p50s[0] / p50s[1] <= GROWTH
            grown += not flat
            line += f"  {'MET' if flat else 'MISSED'}"
        print(line.rstrip())
        if "CSV" in label:
            clients, table = sides[0]
            who, path, headers = table[label]
            client, auth = clients[who]
            print(f"{'':36} {stream_check(client, path, {**auth, **headers})}")
    print(f"target: every page p95 < {TARGET_MS:.0f} ms   {timed_pages - missed}/{timed_pages} MET"
          + ("" if not missed else f", {missed} MISSED"))  # fmt: skip
    if args.against:
        print(f"target: p50 here / p50 there <= {GROWTH}   {timed_pages - grown}/{timed_pages} MET"
              + ("" if not grown else f", {grown} MISSED"))  # fmt: skip
    sys.exit(1 if missed or grown else 0)


if __name__ == "__main__":
    main()
