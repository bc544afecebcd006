#!/usr/bin/env python3
"""Fill an empty hotline PostgreSQL database with a city's year: N tickets and their timelines.

    scripts/bench/city_year.py --tickets 5000000 --database postgresql://postgres@127.0.0.1/hl

Everything is generated inside PostgreSQL (INSERT … SELECT over generate_series, in batches), so
5,000,000 tickets and ~30,000,000 events take minutes, not hours. The year (or --days) ends
today (local time); arrivals follow a day curve (few at night, most by day); every district,
township, community and department gets tickets; every state occurs, with some tickets overdue
(those a department neglects stay open up to 60 days; older ones were escalated and done, so
the open work is that of recent weeks, whatever the length of the history). A database
with no tables is migrated and gets the city loaded first (`hotline db upgrade`, `hotline org
import`, run with HOTLINE_DATABASE_URL set to --database); a database that already holds tickets
is refused.

    scripts/bench/city_year.py --tickets 1000000 --days 73 --database …/hl_1m

is the same city as 5,000,000 a year (same daily volume, same open work) with a fifth of the
history: the pair to compare for growth (reads.py --against).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DAYS = 365
BATCH = 500_000
# How long a ticket its department neglects stays open: older ones were escalated and done.
STUCK = timedelta(days=60)
TZ = "Asia/Shanghai"

# Stage 1: who, what, where and when, per ticket (volatile random() evaluated once per row).
STAGE = """
CREATE UNLOGGED TABLE cy_stage AS
WITH base AS (
  SELECT g,
         floor((g - 1)::numeric * %(days)s::numeric / %(n)s::numeric)::int AS d,
         random() AS r_type, random() AS r_level, random() AS r_dept, random() AS r_place,
         random() AS r_path, random() AS r_sign, random() AS r_res, random() AS r_rate,
         random() AS r_late, random() AS r_misc, random() AS r_text
  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
), day AS (
  SELECT b.*,
         ceil(d::numeric * %(n)s::numeric / %(days)s::numeric)::bigint + 1 AS first_g,
         ceil((d + 1)::numeric * %(n)s::numeric / %(days)s::numeric)::bigint + 1 AS next_g
  FROM base b
), timed AS (
  SELECT y.*,
         (g - first_g)::float8 / greatest(next_g - first_g, 1) AS f,
         (%(day0)s::date + d) AS local_day
  FROM day y
), placed AS (
  SELECT t.*,
         -- Few arrivals at night, most by day: time per ticket is shorter at noon.
         ((t.local_day::timestamp
           + make_interval(secs => (t.f + 0.7 * sin(2 * pi() * t.f) / (2 * pi()))
               -- today runs up to now only
               * CASE WHEN t.local_day = %(day0)s::date + %(days)s - 1 THEN %(today_secs)s
                      ELSE 86400 END)
          ) AT TIME ZONE %(tz)s AT TIME ZONE 'UTC') AS created_at,
         CASE WHEN t.r_type < 0.35 THEN 'complaint' WHEN t.r_type < 0.55 THEN 'help'
              WHEN t.r_type < 0.80 THEN 'consultation' WHEN t.r_type < 0.88 THEN 'suggestion'
              WHEN t.r_type < 0.98 THEN 'report' ELSE 'praise' END AS type,
         CASE WHEN t.r_level < 0.10 THEN 'city' WHEN t.r_level < 0.50 THEN 'district'
              WHEN t.r_level < 0.80 THEN 'township' ELSE 'community' END AS dlevel
  FROM timed t
)
SELECT p.g, p.created_at, p.type, p.local_day, p.g - p.first_g + 1 AS seq,
       p.r_misc < 0.02 AS urgent,
       CASE WHEN p.r_misc < 0.70 THEN 'phone' WHEN p.r_misc < 0.82 THEN 'web'
            WHEN p.r_misc < 0.90 THEN 'sms' WHEN p.r_misc < 0.95 THEN 'api' ELSE 'open311' END
         AS channel,
       dp.code AS dept, dp.name AS dept_name, dp.function, dp.level, dp.org_unit_code AS dept_unit,
       COALESCE(cm.code, dp.org_unit_code) AS place,
       p.r_path, p.r_sign, p.r_res, p.r_rate, p.r_late, p.r_text, p.r_dept
FROM placed p
JOIN cy_depts dp ON dp.level = p.dlevel
                AND dp.rn = 1 + floor(p.r_dept * (SELECT c FROM cy_level_counts
                                                  WHERE level = p.dlevel))::int
LEFT JOIN cy_communities cm
       ON dp.hi >= dp.lo AND cm.rn = dp.lo + floor(p.r_place * (dp.hi - dp.lo + 1))::int
"""

# Stage 2: the life of each ticket, cut at "now" (what has not happened yet is null).
LIFE = """
CREATE UNLOGGED TABLE cy_life AS
WITH plan AS (
  SELECT s.*,
         CASE WHEN r_path < 0.02 THEN 'merge' WHEN r_path < 0.17 THEN 'answer' ELSE 'dispatch' END
           AS path,
         s.created_at + make_interval(mins => 5 + (115 * r_sign)::int) AS t_dispatch
  FROM cy_stage s
), clocks AS (
  SELECT p.*,
         p.t_dispatch + CASE WHEN urgent THEN interval '30 minutes' ELSE interval '1 day' END
           AS t_sign_due
  FROM plan p
), signed AS (
  SELECT c.*,
         -- Never signed (overdue on sign-for) while recent; an older one was signed once
         -- escalated, days late: the centre's supervision keeps the backlog to recent weeks.
         CASE WHEN r_late < 0.003 AND created_at > (now() AT TIME ZONE 'UTC') - %(stuck)s
              THEN NULL
              WHEN r_late < 0.003 THEN t_sign_due + make_interval(days => 3 + (20 * r_sign)::int)
              WHEN r_late < 0.05 THEN t_sign_due + make_interval(mins => (600 * r_sign)::int)
              ELSE t_dispatch + (t_sign_due - t_dispatch) * (0.9 * r_sign) END AS t_signed
  FROM clocks c
), resolving AS (
  SELECT s.*,
         s.t_signed + CASE WHEN urgent THEN interval '1 day'
                           WHEN type IN ('consultation', 'praise') THEN interval '3 days'
                           WHEN type IN ('help', 'suggestion') THEN interval '14 days'
                           ELSE interval '21 days' END AS t_resolve_due
  FROM signed s
), resolved AS (
  SELECT r.*,
         -- Stuck (overdue on resolution) while recent; an older one resolved weeks late.
         CASE WHEN r_late BETWEEN 0.003 AND 0.01
                   AND created_at > (now() AT TIME ZONE 'UTC') - %(stuck)s THEN NULL
              WHEN r_late BETWEEN 0.003 AND 0.01
              THEN t_resolve_due + make_interval(days => 3 + (30 * r_res)::int)
              WHEN r_late BETWEEN 0.01 AND 0.05 THEN t_resolve_due
                   + make_interval(mins => (7200 * r_res)::int)
              ELSE t_signed + (t_resolve_due - t_signed) * (0.8 * r_res) END AS t_resolved
  FROM resolving r
), rated AS (
  SELECT r.*,
         CASE WHEN r_rate < 0.75 THEN t_resolved + make_interval(mins => (2880 * r_rate)::int)
              END AS t_rated,
         t_resolved + interval '3 days' AS t_followup_due
  FROM resolved r
)
SELECT r.*,
       CASE WHEN path = 'merge' THEN 'merged'
            WHEN path = 'answer' THEN
              CASE WHEN created_at + interval '3 days' < now() AT TIME ZONE 'UTC'
                   THEN 'closed' ELSE 'answered' END
            WHEN t_dispatch > now() AT TIME ZONE 'UTC' THEN 'received'
            WHEN t_signed IS NULL OR t_signed > now() AT TIME ZONE 'UTC' THEN
              CASE WHEN r_text < 0.02 THEN 'returned' ELSE 'dispatched' END
            WHEN t_resolved IS NULL OR t_resolved > now() AT TIME ZONE 'UTC' THEN 'accepted'
            WHEN COALESCE(t_rated, t_followup_due) > now() AT TIME ZONE 'UTC' THEN 'resolved'
            ELSE 'closed' END AS status
FROM rated r
"""

TEXTS = [
    "小区门口有人占道经营，晚上噪音很大，影响居民休息",
    "楼下烧烤店油烟太大，窗户都不敢开",
    "工地夜间施工噪音扰民，已经持续一周",
    "小区停水两天了，物业说不清楚原因",
    "路口红绿灯坏了，车辆乱行很危险",
    "公交车到站不停，等车的老人上不去",
    "商家预付卡充值后店铺关门，无法退款",
    "小区垃圾清运不及时，气味很大",
    "咨询社保卡补办需要哪些材料",
    "咨询新生儿医保参保办理流程",
    "单位拖欠三个月工资，要求帮助追讨",
    "人行道上违章停车严重，行人只能走机动车道",
    "河道里有人倾倒生活垃圾和建筑垃圾",
    "小区电梯经常故障，困人多次",
    "建议在学校门口增设人行横道和减速带",
    "举报无证经营的小诊所",
    "表扬社区工作人员耐心帮助独居老人",
    "咨询孩子入学需要准备哪些材料",
    "燃气管道有异味，担心泄漏",
    "快递网点乱堆包裹，占用消防通道",
]


def sql_url(url: str) -> str:
    """Return a libpq URL (the app's SQLAlchemy prefix removed)."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url.removeprefix(prefix)
    return url


def hotline(args: list[str], url: str) -> None:
    """Run one `hotline` CLI command against the database."""
    exe = Path(sys.executable).with_name("hotline")
    cmd = [str(exe) if exe.exists() else "hotline", *args]
    env = dict(os.environ, HOTLINE_DATABASE_URL=url)
    print(f"==> HOTLINE_DATABASE_URL=… {' '.join(cmd[-3:])}", flush=True)
    subprocess.run(cmd, env=env, check=True, cwd=ROOT)


def prepare(conn: psycopg.Connection, url: str) -> None:
    """Migrate an empty database and load the city; refuse one that already has tickets."""
    has = conn.execute("SELECT to_regclass('public.tickets') IS NOT NULL").fetchone()[0]
    if not has:
        hotline(["db", "upgrade"], url)
    units = conn.execute("SELECT count(*) FROM org_units").fetchone()[0]
    if not units:
        hotline(["org", "import"], url)
    if conn.execute("SELECT EXISTS (SELECT 1 FROM tickets)").fetchone()[0]:
        sys.exit("city_year: the database already holds tickets; give it an empty one")


def pick_tables(conn: psycopg.Connection) -> None:
    """Number the departments per level and give each the range of communities beneath it."""
    conn.execute("""
        DROP TABLE IF EXISTS cy_communities, cy_depts, cy_level_counts, cy_stage, cy_life;
        CREATE UNLOGGED TABLE cy_communities AS
          SELECT code, row_number() OVER (ORDER BY code)::int AS rn
          FROM org_units WHERE level = 'community';
        CREATE INDEX ON cy_communities (rn);
        CREATE UNLOGGED TABLE cy_depts AS
          SELECT d.code, d.name, d.function, d.level, d.org_unit_code,
                 row_number() OVER (PARTITION BY d.level ORDER BY d.code)::int AS rn,
                 COALESCE((SELECT min(rn) FROM cy_communities c
                           WHERE c.code >= d.org_unit_code
                             AND c.code < d.org_unit_code || '~'), 1) AS lo,
                 COALESCE((SELECT max(rn) FROM cy_communities c
                           WHERE c.code >= d.org_unit_code
                             AND c.code < d.org_unit_code || '~'), 0) AS hi
          FROM departments d WHERE d.active;
        CREATE INDEX ON cy_depts (level, rn);
        CREATE UNLOGGED TABLE cy_level_counts AS
          SELECT level, count(*)::int AS c FROM cy_depts GROUP BY level;
        ANALYZE cy_communities; ANALYZE cy_depts; ANALYZE cy_level_counts;
    """)


TICKETS = """
INSERT INTO tickets (id, number, type, status, urgent, channel, description, address, phone, name,
  org_unit_code, department_code, scope_code, routing, dispatched_at, sign_due, signed_at,
  resolve_due, resolved_at, followup_due, closed_at, sla_next_at, escalation_level,
  escalation_count, reply, rating, rated_at, merged_into_id, created_at, updated_at, version)
SELECT g, to_char(local_day, 'YYYYMMDD') || '-' || lpad(seq::text, 6, '0'), type, status, urgent,
  channel, (%(texts)s::text[])[1 + floor(r_text * %(ntexts)s)::int] || '（' || place || '）',
  '成都市' || place || '号' || (1 + floor(r_sign * 300)::int) || '号',
  '1' || (3 + floor(r_rate * 6)::int) || lpad(floor(r_res * 1e9)::bigint::text, 9, '0'),
  CASE WHEN r_misc_name < 0.5 THEN NULL ELSE '市民' END,
  place,
  CASE WHEN status IN ('dispatched', 'accepted', 'resolved')
         OR (status = 'closed' AND path = 'dispatch') THEN dept END,
  CASE WHEN status IN ('dispatched', 'accepted', 'resolved')
         OR (status = 'closed' AND path = 'dispatch') THEN dept_unit ELSE place END,
  json_build_object('place', json_build_object('community', place, 'city', '5101'),
    'function', function, 'level', level,
    'department', json_build_object('code', dept, 'name', dept_name),
    'urgent', urgent, 'emergency', NULL, 'rule', 'bench.' || function,
    'ruleset_version', 'cityyear0001'),
  CASE WHEN has_dispatch THEN t_dispatch END,
  CASE WHEN has_dispatch THEN t_sign_due END,
  CASE WHEN has_sign THEN t_signed END,
  CASE WHEN has_sign THEN t_resolve_due END,
  CASE WHEN has_resolve THEN t_resolved
       WHEN path = 'answer' THEN created_at + interval '10 minutes' END,
  CASE WHEN status IN ('resolved', 'answered') THEN t_followup_due END,
  CASE WHEN status = 'closed' THEN COALESCE(t_closed, created_at + interval '3 days')
       WHEN status = 'merged' THEN created_at + interval '1 hour' END,
  CASE WHEN status = 'dispatched' THEN greatest(t_sign_due, now() AT TIME ZONE 'UTC')
       WHEN status = 'accepted' THEN greatest(t_resolve_due, now() AT TIME ZONE 'UTC')
       WHEN status = 'resolved' THEN t_followup_due END,
  CASE WHEN (status = 'dispatched' AND t_sign_due < now() AT TIME ZONE 'UTC')
         OR (status = 'accepted' AND t_resolve_due < now() AT TIME ZONE 'UTC')
       THEN (ARRAY['township', 'district', 'city'])[1 + floor(r_dept * 3)::int] END,
  CASE WHEN (status = 'dispatched' AND t_sign_due < now() AT TIME ZONE 'UTC')
         OR (status = 'accepted' AND t_resolve_due < now() AT TIME ZONE 'UTC') THEN 1 ELSE 0 END,
  CASE WHEN has_resolve OR path = 'answer' THEN '已核实处理，感谢您的反映。' END,
  CASE WHEN has_rating THEN (ARRAY['satisfied', 'satisfied', 'satisfied', 'satisfied',
       'satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'basically_satisfied',
       'unsatisfied'])[1 + floor(r_rate * 13.3)::int %% 10] END,
  CASE WHEN has_rating THEN t_rated END,
  CASE WHEN status = 'merged' AND g > 1 THEN g - 1 END,
  created_at, greatest(created_at, LEAST(now() AT TIME ZONE 'UTC',
    COALESCE(t_closed, t_rated, t_resolved, t_signed, t_dispatch, created_at))), 1
FROM (
  SELECT l.*, random() AS r_misc_name,
         path = 'dispatch' AND status NOT IN ('received', 'returned') AS has_dispatch,
         path = 'dispatch' AND status IN ('accepted', 'resolved', 'closed') AS has_sign,
         path = 'dispatch' AND status IN ('resolved', 'closed') AS has_resolve,
         path = 'dispatch' AND t_rated IS NOT NULL AND t_rated < now() AT TIME ZONE 'UTC'
           AND status IN ('resolved', 'closed') AS has_rating,
         COALESCE(t_rated, t_followup_due) AS t_closed
  FROM cy_life l
) x
"""

# One row per timeline step that happened, in time order (as a live system writes them).
EVENTS = """
INSERT INTO ticket_events (ticket_id, action, actor_id, actor, from_status, to_status, at, data,
                           public)
SELECT t.id, e.action, NULL, e.actor, e.from_status, e.to_status, e.at, e.data, e.public
FROM tickets t
CROSS JOIN LATERAL (VALUES
  ('create', 'resident', NULL, 'received', t.created_at,
   json_build_object('channel', t.channel), true),
  ('route', 'system', 'received', 'received', t.created_at, t.routing, false),
  ('answer', '话务员', 'received', 'answered',
   CASE WHEN t.department_code IS NULL AND t.resolved_at IS NOT NULL THEN t.resolved_at END,
   json_build_object('reply', t.reply), true),
  ('return', '承办人', 'dispatched', 'returned',
   CASE WHEN t.status = 'returned' THEN t.created_at + interval '3 hours' END,
   json_build_object('reason', '不属于本单位职责'), false),
  ('dispatch', '话务员', 'received', 'dispatched', t.dispatched_at,
   json_build_object('department', t.department_code, 'proposed', t.department_code,
                     'rule', t.routing->>'rule', 'override', false), true),
  ('sign', '承办人', 'dispatched', 'accepted', t.signed_at,
   json_build_object('in_time', t.signed_at <= t.sign_due), true),
  ('overdue', 'system', t.status, t.status,
   CASE WHEN t.escalation_level IS NOT NULL
        THEN COALESCE(t.resolve_due, t.sign_due) END,
   json_build_object('level', t.escalation_level), false),
  ('resolve', '承办人', 'accepted', 'resolved',
   CASE WHEN t.department_code IS NOT NULL THEN t.resolved_at END,
   json_build_object('reply', t.reply, 'in_time', t.resolved_at <= t.resolve_due), true),
  ('rate', 'resident', t.status, t.status, t.rated_at,
   json_build_object('rating', t.rating), true),
  ('close', 'system', 'resolved', 'closed', t.closed_at,
   json_build_object('rated', t.rating IS NOT NULL), true),
  ('merge', '话务员', 'received', 'merged',
   CASE WHEN t.status = 'merged' THEN t.closed_at END, '{}'::json, true)
) AS e(action, actor, from_status, to_status, at, data, public)
WHERE t.id BETWEEN %(lo)s::bigint AND %(hi)s::bigint AND e.at IS NOT NULL
  AND NOT (e.action = 'close' AND t.status = 'merged')
ORDER BY e.at
"""

OUTBOX = """
INSERT INTO outbox (dedup_key, kind, "to", body, ticket_id, state, attempts, next_attempt_at,
                    created_at, sent_at)
SELECT 'receipt:' || id, 'resident_receipt', phone,
       '【12345】您的诉求已受理，工单号 ' || number || '。', id, 'sent', 1, created_at,
       created_at, created_at
FROM tickets WHERE id BETWEEN %(lo)s::bigint AND %(hi)s::bigint
"""


def build(url: str, n: int, days: int = DAYS) -> None:
    """Generate ``n`` tickets over the last ``days`` days, with their events and receipts."""
    started = time.monotonic()
    with psycopg.connect(sql_url(url), autocommit=True) as conn:
        prepare(conn, url)
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SELECT setseed(0.1313)")
        pick_tables(conn)
        # The span ends now: its last day is today, up to this minute.
        day0, today_secs = conn.execute(
            "SELECT (now() AT TIME ZONE %s)::date - %s + 1, extract(epoch FROM"
            " (now() AT TIME ZONE %s) - (now() AT TIME ZONE %s)::date) - 60",
            (TZ, days, TZ, TZ),
        ).fetchone()
        restore = drop_secondary(conn)
        for lo in range(1, n + 1, BATCH):
            hi = min(lo + BATCH - 1, n)
            params = {"lo": lo, "hi": hi, "n": n, "days": days, "day0": day0, "tz": TZ}
            params["today_secs"] = float(today_secs)
            conn.execute("DROP TABLE IF EXISTS cy_stage, cy_life")
            conn.execute(STAGE, params)
            conn.execute(LIFE, {"stuck": STUCK})
            with conn.transaction():
                conn.execute(TICKETS, {"texts": TEXTS, "ntexts": len(TEXTS)})
                conn.execute(EVENTS, {"lo": lo, "hi": hi})
                conn.execute(OUTBOX, {"lo": lo, "hi": hi})
            elapsed = time.monotonic() - started
            print(f"tickets {hi:>10,} / {n:,}  ({elapsed:,.0f} s)", flush=True)
        print("==> indexes and foreign keys", flush=True)
        for statement in restore:
            conn.execute(statement)
        conn.execute("DROP TABLE IF EXISTS cy_stage, cy_life, cy_communities, cy_depts")
        conn.execute("DROP TABLE IF EXISTS cy_level_counts")
        conn.execute("SELECT setval('tickets_id_seq', (SELECT max(id) FROM tickets))")
        after_build(conn, url)
        print("==> VACUUM ANALYZE", flush=True)
        for table in ("tickets", "ticket_events", "outbox"):
            conn.execute(f"VACUUM ANALYZE {table}")
        # Every other table too (departments, org units, users): a server without autovacuum
        # would plan against no statistics at all, e.g. a function's departments taken as 4.
        conn.execute("ANALYZE")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM ticket_events)"
        ).fetchone()
    print(
        f"city_year: {counts[0]:,} tickets, {counts[1]:,} events "
        f"({counts[1] / max(counts[0], 1):.1f} per ticket) in {time.monotonic() - started:,.0f} s"
    )


BULK_TABLES = ("tickets", "ticket_events", "outbox")


def drop_secondary(conn: psycopg.Connection) -> list[str]:
    """Drop the secondary indexes and foreign keys of the bulk tables; return how to restore them.

    Building an index once at the end is many times faster than keeping a dozen up to date
    row by row; primary keys and unique constraints stay, so the load is still checked.
    """
    tables = list(BULK_TABLES)
    fks = conn.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,"
        " pg_get_constraintdef(oid)), format('ALTER TABLE %%s DROP CONSTRAINT %%I',"
        " conrelid::regclass, conname) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        (tables,),
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexdef, format('DROP INDEX %%I', indexname) FROM pg_indexes"
        " WHERE schemaname = 'public' AND tablename = ANY(%s)"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        (tables,),
    ).fetchall()
    for _create, drop in fks + indexes:
        conn.execute(drop)
    return [create for create, _drop in indexes + fks]


def after_build(conn: psycopg.Connection, url: str) -> None:
    """Bring derived tables (day counters, rollups) in line with the generated tickets."""
    conn.execute(
        "INSERT INTO ticket_counters (day, last) SELECT left(number, 8),"
        " max(substr(number, 10)::int) FROM tickets GROUP BY 1"
        " ON CONFLICT (day) DO UPDATE SET last = greatest(ticket_counters.last, EXCLUDED.last)"
    )
    has_rollups = conn.execute("SELECT to_regclass('public.stats_daily') IS NOT NULL").fetchone()
    if has_rollups and has_rollups[0]:
        hotline(["stats", "rebuild"], url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, required=True, help="how many tickets")
    parser.add_argument("--database", required=True, help="postgresql://… of an empty database")
    parser.add_argument(
        "--days",
        type=int,
        default=DAYS,
        help="over how many days, ending today (default 365; 1,000,000 over 73 days is the "
        "daily volume of 5,000,000 a year: the same city, a fifth of its history)",
    )
    args = parser.parse_args()
    if args.tickets < 1:
        parser.error("--tickets must be at least 1")
    if not 1 <= args.days <= 3650:
        parser.error("--days must be between 1 and 3650")
    if not args.database.startswith(("postgresql", "postgres:")):
        parser.error("--database must be a postgresql:// URL")
    build(args.database, args.tickets, args.days)


if __name__ == "__main__":
    main()
