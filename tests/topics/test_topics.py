"""The topic of the month: opened from a warning or a hotspot, tasks with owners, before/after."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.early_warning.test_surges import YULIN, _run_job, _tickets, _warnings

WATER = "510107-water"


def test_a_topic_from_a_warning_links_tickets_takes_tasks_and_closes(
    app: Any, client: Any, staff: Any
) -> None:
    _tickets(app, 12, timedelta(minutes=30))
    _tickets(app, 4, timedelta(days=10), prefix="Old")
    _tickets(app, 3, timedelta(minutes=30), function="transport", prefix="Bus")
    _run_job(app)
    [warning] = _warnings(app)
    sup = staff("supervisor", org_unit="510107")
    opened = client.post("/api/v1/topics", json={"title": "玉林片区反复停水", "warning_id": warning.id},
                         headers=sup)  # fmt: skip
    assert opened.status_code == 201, opened.json
    topic = opened.json
    assert (topic["function"], topic["org_unit"]["code"], topic["status"]) == (
        "water",
        YULIN,
        "open",
    )
    assert topic["ticket_count"] == 16, "the month's water tickets of the street, not the buses"
    volumes = topic["volumes"]
    assert sum(w["count"] for w in volumes["weeks"]) == 16 and volumes["before_weekly"] == 2.0
    task = client.post(f"/api/v1/topics/{topic['id']}/tasks",
                       json={"title": "排查老旧管网", "department": WATER, "due": "2026-12-20"},
                       headers=sup)  # fmt: skip
    assert task.status_code == 201 and task.json["department"]["code"] == WATER
    agent = staff("agent", department=WATER)
    mine = client.get("/api/v1/topics", headers=agent).json["items"]
    assert [t["id"] for t in mine] == [topic["id"]]
    done = client.post(f"/api/v1/topics/{topic['id']}/tasks/{task.json['id']}/complete",
                       json={"note": "已更换200米管道"}, headers=agent)  # fmt: skip
    assert done.status_code == 200 and done.json["done_by"]
    closed = client.post(f"/api/v1/topics/{topic['id']}/close", json={"summary": "管网改造完成"},
                         headers=sup)  # fmt: skip
    assert closed.json["status"] == "closed" and closed.json["tasks_done"] == 1


def test_a_topic_from_a_hotspot_and_the_rules_of_scope(app: Any, client: Any, staff: Any) -> None:
    jinjiang = staff("supervisor", org_unit="510104")
    body = {"title": "武侯区噪音", "function": "environment", "org_unit": "510107"}
    assert client.post("/api/v1/topics", json=body, headers=jinjiang).status_code == 403
    wuhou = staff("supervisor", org_unit="510107")
    created = client.post("/api/v1/topics", json=body, headers=wuhou)
    assert created.status_code == 201 and created.json["ticket_count"] == 0
    topic_id = created.json["id"]
    assert client.get(f"/api/v1/topics/{topic_id}", headers=jinjiang).status_code == 404
    assert client.get("/api/v1/topics", headers=jinjiang).json["items"] == []
    bad = client.post("/api/v1/topics", json={"title": "x", "function": "magic"}, headers=wuhou)
    assert bad.status_code == 400 and "function" in bad.json["error"]["fields"]
    missing = client.post("/api/v1/topics", json={"title": "x", "function": "water"}, headers=wuhou)
    assert missing.status_code == 422 and "org_unit" in missing.json["error"]["fields"]
    late = (date.today() + timedelta(days=3)).isoformat()
    wrong = client.post(f"/api/v1/topics/{topic_id}/tasks",
                        json={"title": "t", "department": "nope", "due": late}, headers=wuhou)  # fmt: skip
    assert wrong.status_code == 422 and "department" in wrong.json["error"]["fields"]
    operator = staff("operator")
    assert client.get("/api/v1/topics", headers=operator).status_code == 403


def test_volumes_compare_whole_weeks_before_and_after(app: Any) -> None:
    from datetime import datetime

    from hotline.core.extensions import db
    from hotline.topics.models import Topic
    from hotline.topics.operations import volumes

    _tickets(app, 8, timedelta(days=20), prefix="Before")  # 8 in the eight weeks before: 1 a week
    _tickets(app, 1, timedelta(days=3), prefix="After")
    with app.app_context():
        opened = datetime.utcnow() - timedelta(days=14)  # noqa: DTZ003 (naive UTC, as stored)
        topic = Topic(title="t", function="water", org_unit_code=YULIN, month="2026-11",
                      created_by="x", opened_at=opened)  # fmt: skip
        db.session.add(topic)
        db.session.flush()
        figures = volumes(topic, opened + timedelta(days=14))
        assert (figures["before_weekly"], figures["after_weekly"]) == (1.0, 0.5)
        assert figures["change"] == -0.5
        early = volumes(topic, opened + timedelta(days=2))
        assert early["after_weekly"] is None and early["change"] is None
        db.session.rollback()
