"""Drive tickets through their whole life over the HTTP API."""

from __future__ import annotations

from datetime import datetime, timedelta

AGENT_DEPT = "510107005-urban_management"


def act(client, number, headers, **body):
    return client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)


def test_resident_files_and_tracks(client, new_ticket):
    number = new_ticket()
    assert number[:8].isdigit() and number[8] == "-"
    view = client.get(f"/api/v1/track/{number}?phone=13812345678")
    assert view.status_code == 200
    assert view.json["status"] == "received"
    assert [e["action"] for e in view.json["timeline"]] == ["create"]
    # Wrong phone and wrong number look alike.
    wrong_phone = client.get(f"/api/v1/track/{number}?phone=13900000000")
    wrong_number = client.get("/api/v1/track/20000101-000001?phone=13812345678")
    assert wrong_phone.status_code == wrong_number.status_code == 404
    assert wrong_phone.json == wrong_number.json


def test_numbers_are_sequential_per_day(new_ticket):
    first, second = new_ticket(), new_ticket()
    assert first[:8] == second[:8]
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_whole_life(client, new_ticket, staff):
    operator = staff("operator")
    agent = staff("agent", department=AGENT_DEPT)
    supervisor = staff("supervisor", org_unit="510107")
    number = new_ticket()
    steps = [
        (operator, {"action": "dispatch", "department": AGENT_DEPT}, "dispatched"),
        (agent, {"action": "sign"}, "accepted"),
        (agent, {"action": "note", "text": "已联系当事人"}, "accepted"),
        (agent, {"action": "request_extension", "days": 3, "reason": "需协调多个部门"}, "accepted"),
        (supervisor, {"action": "decide_extension", "approve": True}, "accepted"),
        (agent, {"action": "resolve", "reply": "已清理占道摊点"}, "resolved"),
        (operator, {"action": "rate", "rating": "satisfied"}, "resolved"),
        (operator, {"action": "close"}, "closed"),
    ]
    due_before_extension = None
    for headers, body, status in steps:
        response = act(client, number, headers, **body)
        assert response.status_code == 200, (body, response.json)
        assert response.json["status"] == status
        if body["action"] == "request_extension":
            due_before_extension = response.json["resolve_due"]
        if body["action"] == "decide_extension":
            assert response.json["resolve_due"] > due_before_extension
    ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    actions = [e["action"] for e in ticket["events"]]
    assert actions == ["create", "route"] + [body["action"] for _, body, _ in steps]
    for event in ticket["events"]:
        assert event["actor"] and event["at"]
    assert ticket["events"][2]["from_status"] == "received"
    assert ticket["events"][2]["to_status"] == "dispatched"
    public = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert public["reply"] == "已清理占道摊点"
    assert "note" not in [e["action"] for e in public["timeline"]]


def test_return_transfer_reopen_merge_answer(client, new_ticket, staff):
    operator = staff("operator")
    agent = staff("agent", department=AGENT_DEPT)
    number = new_ticket()
    assert (
        act(client, number, operator, action="dispatch", department=AGENT_DEPT).status_code == 200
    )
    # An agent's return is a request (issue 16): the ticket moves once a reviewer approves.
    asked = act(client, number, agent, action="return", reason="不属于本部门职责")
    assert asked.json["status"] == "dispatched"
    assert asked.json["pending_request"]["kind"] == "return"
    supervisor = staff("supervisor", org_unit="510107")
    returned = act(client, number, supervisor, action="review_request", approve=True, reason="同意")
    assert returned.json["status"] == "returned"
    assert returned.json["department"] is None
    again = act(client, number, operator, action="dispatch", department="510107-urban_management")
    assert again.json["status"] == "dispatched"
    moved = act(
        client, number, operator, action="transfer", department=AGENT_DEPT, reason="属地管理"
    )
    assert moved.json["department"]["code"] == AGENT_DEPT
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已处理")
    reopened = act(client, number, operator, action="reopen", reason="市民反映仍未解决")
    assert reopened.json["status"] == "dispatched"

    duplicate = new_ticket()
    merged = act(client, duplicate, operator, action="merge", into=number)
    assert merged.json["status"] == "merged"
    assert merged.json["merged_into"] == number

    quick = new_ticket(type="consultation", description="办理居住证需要什么材料？")
    answered = act(client, quick, operator, action="answer", reply="请携带身份证到社区服务中心")
    assert answered.json["status"] == "answered"


def test_resident_rates_and_reopens(client, new_ticket, staff):
    operator = staff("operator")
    agent = staff("agent", department=AGENT_DEPT)
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=AGENT_DEPT)
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已处理")
    response = client.post(
        f"/api/v1/track/{number}/rate",
        json={
            "phone": "13812345678",
            "rating": "unsatisfied",
            "comment": "摊贩又回来了",
            "reopen": True,
        },
    )
    assert response.status_code == 200
    assert response.json["status"] == "dispatched"
    wrong = client.post(
        f"/api/v1/track/{number}/rate", json={"phone": "13900000000", "rating": "satisfied"}
    )
    assert wrong.status_code == 404
    # The unsatisfied rating stays on record (and in the rates) until the next round is rated.
    view = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert view["rating"] == "unsatisfied" and view["can_rate"] is False
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已彻底清理并安排巡查")
    view = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert view["can_rate"] is True and view["rating"] == "unsatisfied"
    rate = {"phone": "13812345678", "rating": "satisfied"}
    again = client.post(f"/api/v1/track/{number}/rate", json=rate)
    assert again.status_code == 200 and again.json["rating"] == "satisfied"
    assert client.post(f"/api/v1/track/{number}/rate", json=rate).status_code == 409


def test_stale_version_is_refused(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket()
    version = client.get(f"/api/v1/tickets/{number}", headers=operator).json["version"]
    ok = act(client, number, operator, action="note", text="第一条", version=version)
    assert ok.status_code == 200
    stale = act(client, number, operator, action="dispatch", department=AGENT_DEPT, version=version)
    assert stale.status_code == 409
    assert client.get(f"/api/v1/tickets/{number}", headers=operator).json["status"] == "received"


def test_healthz_and_openapi(client):
    assert client.get("/healthz").json == {"database": "ok", "redis": "ok"}
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/tickets/{number}/actions", "/api/v1/overdue", "/api/v1/stats/rates"):
        assert path in spec["paths"]
    assert "TicketCreate" in spec["components"]["schemas"]


def test_marking_urgent_shortens_the_running_clock(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket()
    before = act(client, number, operator, action="dispatch", department=AGENT_DEPT).json[
        "sign_due"
    ]
    after = act(client, number, operator, action="mark_urgent").json
    assert after["urgent"] is True
    assert after["sign_due"] < before
    created = datetime.fromisoformat(after["events"][-1]["at"])
    assert datetime.fromisoformat(after["sign_due"]) - created <= timedelta(minutes=30, seconds=1)
