"""Benchmark the search box (GET /api/v1/tickets?q=) on PostgreSQL at city scale.

Usage: .venv/bin/python scripts/bench/search.py [--tickets 1000000] [--repeat 20] [--keep NAME]
Needs PostgreSQL on HOTLINE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
Fills a scratch database with a year of tickets whose descriptions are drawn (skewed, as real
complaints are) from hotline phrases, then times page 1 of two- and four-character searches,
the last four digits of a phone and a ticket number, through the API (count capped). With
--keep NAME the database is kept (and reused when it exists) for another run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from hotline import create_app  # noqa: E402
from hotline.core.extensions import db  # noqa: E402

BASE = os.environ.get(
    "HOTLINE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PHRASES = """
小区门口有人占道经营 楼下广场舞噪音扰民 夜间施工噪音很大 餐馆油烟直排扰民 小区突然停水 停水没有提前通知
路灯不亮好几天了 井盖缺失存在安全隐患 垃圾清运不及时 垃圾桶满了没人清理 共享单车乱停乱放 机动车占用人行道
违章搭建遮阳棚 小区物业收费不合理 电梯经常故障 暖气不热 燃气管道漏气 下水道堵塞污水外溢 道路坑洼不平
公交车不按站停靠 出租车拒载 网约车乱收费 商家不开发票 超市出售过期食品 药店价格虚高 学校周边有流动摊贩
工地渣土车撒漏 扬尘污染严重 河道漂浮垃圾 绿化带被毁 树木遮挡交通信号灯 违规养犬不拴绳 流浪狗伤人
房屋漏水楼上不管 装修噪音影响休息 社保转移办理慢 公积金提取咨询 户口迁移需要什么材料 居住证办理流程
农民工工资拖欠 用人单位不签劳动合同 培训机构退费难 幼儿园乱收费 医院排队时间太长 救护车到达慢
快递员态度差 外卖骑手闯红灯 电动车充电乱拉电线 消防通道被堵 小区监控坏了 停车位被长期占用
公厕卫生差 菜市场秤不准 噪声检测超标 施工围挡占道 交通信号灯故障 斑马线标线模糊 排水不畅路面积水
""".split()  # noqa: SIM905
ROADS = """玉林北路 玉林南路 人民南路 红星路 春熙路 蜀都大道 府南河 天府大道 武侯祠大街 科华北路
浆洗街 磨子桥 建设路 双林路 猛追湾 青羊大道 光华大道 金沙路 营门口路 驷马桥""".split()  # noqa: SIM905

FILL = """
INSERT INTO tickets (number, type, status, urgent, channel, description, address, phone,
  scope_code, escalation_count, created_at, updated_at, version, search_text, search_grams)
SELECT number, 'complaint', (ARRAY['received','dispatched','accepted','resolved','closed'])[1 + i % 5],
  i % 50 = 0, (ARRAY['web','phone','sms','open311','api'])[1 + i % 5], description, address, phone,
  '5101', 0, created, created, 1, lower(description || E'\\n' || address),
  bench_grams(lower(description || E'\\n' || address), phone)
FROM (
  SELECT i, to_char(now() - make_interval(secs => (i::float8 * 365 * 86400 / :count)::int),
                     'YYYYMMDD') || '-' || lpad((i % 1000000)::text, 6, '0') AS number,
    now() - make_interval(secs => (i::float8 * 365 * 86400 / :count)::int) AS created,
    (SELECT string_agg(p.phrases[1 + floor(power(random() + k * 0, 2.2)
                                           * array_length(p.phrases, 1))::int], '，')
       FROM generate_series(1, 3 + i % 3) AS k)
      -- One ticket in ten thousand is about something nobody else reports.
      || CASE WHEN i % 10000 = 7 THEN '，化工厂异味刺鼻' ELSE '' END AS description,
    p.roads[1 + i % array_length(p.roads, 1)] || (i % 300)::text || '号' AS address,
    '13' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0') AS phone
  FROM generate_series(1, :count) AS i,
       (SELECT CAST(:phrases AS text[]) AS phrases, CAST(:roads AS text[]) AS roads) AS p
) rows
"""
GRAMS = r"""
CREATE OR REPLACE FUNCTION bench_grams(doc text, phone text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT DISTINCT g FROM (
      SELECT substr(w, i, 2) AS g
      FROM regexp_split_to_table(doc, '\W+') AS w, generate_series(1, greatest(length(w) - 1, 1)) AS i
      WHERE length(w) > 0
      UNION SELECT '#' || right(phone, 4)) s ORDER BY g)
$$
"""
TERMS = [
    ("2 chars, common", "噪音"),
    ("2 chars, mid", "停水"),
    ("2 chars, tail", "斑马"),
    ("2 chars, rare", "异味"),
    ("4 chars, common", "占道经营"),
    ("4 chars, mid", "垃圾清运"),
    ("4 chars, tail", "标线模糊"),
    ("4 chars, rare", "化工厂异"),
    ("2 terms", "噪音 玉林北路"),
    ("last 4 digits", "5678"),
    ("absent 2 chars", "火星"),
]


def fill(url: str, count: int) -> float:
    """Fill the scratch database with ``count`` tickets; return the seconds it took."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    start = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        conn.execute(text(GRAMS))
        conn.execute(text("DROP INDEX IF EXISTS ix_tickets_search_grams"))
        conn.execute(text("DROP INDEX IF EXISTS ix_tickets_search_trgm"))
        step = 250_000
        for offset in range(0, count, step):
            n = min(step, count - offset)
            sql = FILL.replace(
                "generate_series(1, :count) AS i",
                f"generate_series({offset + 1}, {offset + n}) AS i",
            )
            conn.execute(text(sql), {"count": count, "phrases": PHRASES, "roads": ROADS})
            print(
                f"  filled {offset + n:,} tickets ({time.perf_counter() - start:.0f} s)", flush=True
            )
        conn.execute(
            text("CREATE INDEX ix_tickets_search_grams ON tickets USING gin (search_grams)")
        )
        print(f"  bigram index built ({time.perf_counter() - start:.0f} s)", flush=True)
        conn.execute(
            text(
                "CREATE INDEX ix_tickets_search_trgm ON tickets USING gin (search_text gin_trgm_ops)"
            )
        )
        print(f"  trigram index built ({time.perf_counter() - start:.0f} s)", flush=True)
        conn.execute(text("VACUUM ANALYZE tickets"))
    engine.dispose()
    return time.perf_counter() - start


def main() -> None:
    """Fill (or reuse) the database, then time page 1 of each search term."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", default=None, help="keep (and reuse) the database of this name")
    opts = parser.parse_args()

    name = opts.keep or f"hotline_bench_search_{os.getpid()}"
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = BASE.rsplit("/", 1)[0] + f"/{name}"
    env = {
        "HOTLINE_DATABASE_URL": url,
        "REDIS_URL": "redis://127.0.0.1:1/0",  # the search path never touches Redis
        "HOTLINE_INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-search-"),
        "HOTLINE_SECRET_KEY": "bench",
        "HOTLINE_RATE_LIMIT": "0",
    }
    try:
        app = create_app(env)
        with app.app_context():
            from flask_migrate import upgrade

            from hotline.users.operations import create_user

            upgrade()
            have = db.session.scalar(text("SELECT count(*) FROM tickets"))
            if have < opts.tickets:
                db.session.execute(text("TRUNCATE tickets CASCADE"))
                db.session.commit()
                print(f"filling {opts.tickets:,} tickets …", flush=True)
                print(f"filled in {fill(url, opts.tickets):.0f} s", flush=True)
            if not db.session.scalar(text("SELECT 1 FROM users WHERE username = 'bench'")):
                create_user({"username": "bench", "password": "bench12345", "role": "operator"})
            total = db.session.scalar(text("SELECT count(*) FROM tickets"))
            number = db.session.scalar(
                text("SELECT number FROM tickets ORDER BY id OFFSET :n LIMIT 1"), {"n": total // 2}
            )
            db.session.remove()
        client = app.test_client()
        token = client.post(
            "/api/v1/auth/token", json={"username": "bench", "password": "bench12345"}
        ).json["token"]
        headers = {"Authorization": f"Bearer {token}"}
        print(
            f"\n{total:,} tickets; page 1 (50 rows, count capped at 1000), {opts.repeat} runs each"
        )
        print(f"{'query':<20}{'q':<16}{'hits':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for label, q in TERMS + [("ticket number", number)]:
            times = []
            for i in range(opts.repeat + 1):
                start = time.perf_counter()
                response = client.get("/api/v1/tickets", query_string={"q": q}, headers=headers)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.json
                if i:  # the first run warms the cache
                    times.append(elapsed * 1000)
            body = response.json
            hits = f"{body['total']}{'+' if body['total_capped'] else ''}"
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"{label:<20}{q:<16}{hits:>8}{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}",
                flush=True,
            )
    finally:
        if not opts.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
