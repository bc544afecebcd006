"""The router inside the app: proposals on intake, one-action acceptance, overrides, reload, stats."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from hotline import create_app
from hotline.core.actors import RESIDENT
from hotline.core.extensions import db
from hotline.tickets import operations

RULES = Path(__file__).resolve().parents[2] / "routing_rules"


def test_new_ticket_arrives_with_a_proposal(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket(
        description="小区门口天天有人乱停车，车都开不出去",
        community_code=None,
        address="武侯区玉林街道",
    )
    ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    proposal = ticket["routing"]
    assert proposal["function"] == "traffic_police"
    assert proposal["department"]["code"].startswith("510107")
    assert proposal["place"]["township"] == "510107005"
    assert proposal["rule"] and proposal["trace"] and proposal["ruleset_version"]
    route = [e for e in ticket["events"] if e["action"] == "route"][0]
    assert route["data"]["ruleset_version"] == proposal["ruleset_version"]
    assert ticket["org_unit"]["code"] == "510107005"


def test_operator_accepts_with_one_action_or_overrides(client, new_ticket, staff):
    operator = staff("operator")
    accepted = new_ticket(description="楼下烧烤店油烟太大，晚上还很吵")
    proposal = client.get(f"/api/v1/tickets/{accepted}", headers=operator).json["routing"]
    done = client.post(
        f"/api/v1/tickets/{accepted}/actions", json={"action": "dispatch"}, headers=operator
    )
    assert done.status_code == 200
    assert done.json["department"]["code"] == proposal["department"]["code"]
    event = [e for e in done.json["events"] if e["action"] == "dispatch"][0]
    assert event["data"]["override"] is False

    overridden = new_ticket(description="楼下烧烤店油烟太大，晚上还很吵")
    body = {"action": "dispatch", "department": "510107-environment", "reason": "油烟属环保执法"}
    done = client.post(f"/api/v1/tickets/{overridden}/actions", json=body, headers=operator)
    event = [e for e in done.json["events"] if e["action"] == "dispatch"][0]
    assert event["data"]["override"] is True
    assert event["data"]["reason"] == "油烟属环保执法"
    assert event["data"]["proposed"] == proposal["department"]["code"]

    runner = client.application.test_cli_runner()
    result = runner.invoke(args=["rules", "stats", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    row = next(r for r in rows if r["rule"] == proposal["rule"])
    assert row["fired"] >= 2 and row["dispatched"] == 2 and row["overridden"] == 1


def test_emergency_is_flagged_on_intake(client):
    body = {
        "type": "help",
        "description": "楼道里着火了，浓烟很大，有人被困！",
        "phone": "13812345678",
    }
    response = client.post("/api/v1/tickets", json=body)
    assert response.status_code == 201
    assert response.json["emergency"] is True
    assert "119" in response.json["notice"]


@pytest.mark.parametrize("channel", ["web", "api", "phone", "sms", "open311"])
def test_every_channel_is_routed(ctx, channel):
    data = {
        "type": "complaint",
        "description": "家里停水两天了，物业也不管",
        "phone": "13812345678",
        "address": "金堂县赵镇街道",
    }
    ticket = operations.create_ticket(data, channel=channel, actor=RESIDENT)
    assert ticket.routing is not None
    assert ticket.routing["function"] in {"water", "housing"}
    assert ticket.channel == channel
    assert [e.action for e in ticket.events][:2] == ["create", "route"]


def test_rules_reload_without_restart(app_env, app, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("golden"))
    other = create_app({**app_env, "HOTLINE_RULES_DIR": str(rules)})
    client = other.test_client()
    body = {"type": "complaint", "description": "小区里有只孔雀天天叫", "phone": "13812345678"}
    first = client.post("/api/v1/tickets", json=body).json["number"]
    (rules / "zz_peacock.yaml").write_text(
        "rules:\n  - id: test.peacock\n    priority: 99\n    when: {any: [孔雀]}\n"
        "    then: {function: agriculture, level: district}\n",
        encoding="utf-8",
    )
    time.sleep(1.1)  # the holder looks at the files at most once per second
    second = client.post("/api/v1/tickets", json=body).json["number"]
    with other.app_context():
        before = operations.get_ticket(first, _operator()).routing
        after = operations.get_ticket(second, _operator()).routing
        db.session.remove()
    assert before["rule"] != "test.peacock"
    assert after["rule"] == "test.peacock"
    assert after["ruleset_version"] != before["ruleset_version"]


def _operator():
    from hotline.core.actors import Actor

    return Actor(None, "t", "operator")


def test_a_deactivated_department_is_never_proposed(app, client, staff):
    from hotline.org.models import Department

    body = {
        "type": "complaint",
        "description": "玉林北路12号门口有人占道经营",
        "phone": "13812345678",
        "address": "武侯区玉林街道玉林北路12号",
    }
    operator = staff("operator")
    first = client.post("/api/v1/tickets", json=body).json["number"]
    proposed = client.get(f"/api/v1/tickets/{first}", headers=operator).json["routing"][
        "department"
    ]["code"]
    with app.app_context():
        db.session.get(Department, proposed).active = False
        db.session.commit()
    try:
        # Another process changed it: the router notices within ORG_CHECK_INTERVAL.
        app.extensions["hotline_router"]._checked = 0.0
        second = client.post("/api/v1/tickets", json=body).json["number"]
        routing = client.get(f"/api/v1/tickets/{second}", headers=operator).json["routing"]
        assert routing["department"]["code"] != proposed
        done = client.post(
            f"/api/v1/tickets/{second}/actions", json={"action": "dispatch"}, headers=operator
        )
        assert done.status_code == 200
    finally:
        with app.app_context():
            db.session.get(Department, proposed).active = True
            db.session.commit()
        app.extensions["hotline_router"].reset()
