#!/usr/bin/env python3
"""Knowledge-base search at the size of a real one: 20,000 articles, p95 against 50 ms.

    .venv/bin/python scripts/bench/knowledge.py [--database URL] [--articles 20000]

Without --database it works in a scratch SQLite file. It adds synthetic articles (realistic
matters × districts × aspects) until there are --articles, then times operator searches (words,
whole questions without spaces, titles of the last articles by title) and checks that the last
article by title — beyond the old 2,000-article window — is found.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MATTERS = ["公积金提取", "社保卡补办", "医保报销", "新生儿落户", "居住证办理", "不动产登记",
           "营业执照办理", "占道经营投诉", "噪音扰民", "停水停电", "燃气报修", "垃圾清运",
           "违章停车", "拖欠工资", "预付卡退费", "学校入学", "养老服务", "残疾人补贴",
           "出租车投诉", "公交线路", "路灯报修", "井盖缺失", "物业纠纷", "电梯故障"]  # fmt: skip
PLACES = ["锦江区", "青羊区", "金牛区", "武侯区", "成华区", "龙泉驿区", "青白江区", "新都区",
          "温江区", "双流区", "郫都区", "新津区", "简阳市", "都江堰市", "彭州市", "邛崃市"]  # fmt: skip
ASPECTS = ["所需材料", "办理流程", "办理时限", "收费标准", "办理地点", "线上办理", "常见问题"]
QUERIES = ["公积金", "请问公积金怎么提取", "社保卡丢了怎么补办", "噪音", "武侯区 占道经营",
           "电梯故障 困人", "预付卡", "孩子上学需要什么材料", "燃气报修电话", "违章停车投诉"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="default: a scratch SQLite file")
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="hotline-kb-")
    os.environ["HOTLINE_DATABASE_URL"] = args.database or f"sqlite:///{scratch}/kb.db"
    os.environ.setdefault("HOTLINE_INSTANCE_PATH", scratch)
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from hotline import create_app
    from hotline.core.extensions import db
    from hotline.knowledge import operations as kb
    from hotline.knowledge.models import KnowledgeArticle

    app = create_app()
    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count()).select_from(KnowledgeArticle)) or 0
        rng = random.Random(44191)
        rows = []
        for i in range(have, args.articles):
            matter, place, aspect = rng.choice(MATTERS), rng.choice(PLACES), rng.choice(ASPECTS)
            rows.append({"title": f"{place}{matter}{aspect}（{i:05d}）", "keywords": f"{matter} {place}",
                         "body": f"{place}{matter}的{aspect}：请携带身份证件，到{place}政务服务中心办理。",
                         "active": True})  # fmt: skip
        if rows:
            db.session.execute(KnowledgeArticle.__table__.insert(), rows)
            db.session.commit()
        last = db.session.scalar(
            select(KnowledgeArticle.title).order_by(KnowledgeArticle.title.desc())
        )
        kb.search("预热")  # builds the index once per process
        times = []
        for i in range(args.runs):
            q = QUERIES[i % len(QUERIES)] if i % 5 else last
            start = time.perf_counter()
            found = kb.search(q)
            times.append((time.perf_counter() - start) * 1000)
            if q == last and (not found or found[0].title != last):
                sys.exit(f"the last article by title was not found first: {last}")
        # Every article findable: a sample spread over the whole table, each by its title.
        titles = db.session.scalars(
            select(KnowledgeArticle.title).order_by(KnowledgeArticle.id)
        ).all()
        sample = titles[:: max(len(titles) // 200, 1)]
        lost = [t for t in sample if not any(a.title == t for a in kb.search(t))]
        total = db.session.scalar(select(func.count()).select_from(KnowledgeArticle))
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"knowledge search, {total:,} articles, {args.runs} searches")
    print(f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    print(
        f"target: p95 < 50 ms at 20,000 articles  {'MET' if p95 < 50 else 'MISSED'}  {p95:.1f} ms"
    )
    print(f"target: every article findable  MET  (the last by title, {last}, found first)")
    print(f"findable by title: {len(sample) - len(lost)} of a sample of {len(sample)} "
          f"{'MET' if not lost else 'MISSED: ' + ', '.join(lost[:5])}")  # fmt: skip
    if lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
