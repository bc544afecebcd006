"""回访 done right: unsatisfied results come back, calls are counted, merged residents hear."""

from __future__ import annotations

AGENT_DEPT = "510107005-urban_management"
PHONE = "13812345678"


def act(client, number, headers, **body):
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == 200, (body, response.json)
    return response.json


def resolved(client, new_ticket, operator, agent, **fields):
    number = new_ticket(**fields)
    act(client, number, operator, action="dispatch", department=AGENT_DEPT)
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已清理占道摊点")
    return number


def test_answered_unsatisfied_reopen_returns_to_the_operators(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket(type="consultation", description="请问社保卡怎么补办")
    act(client, number, operator, action="answer", reply="请到社保大厅补办")
    rated = client.post(
        f"/api/v1/track/{number}/rate",
        json={
            "phone": PHONE,
            "rating": "unsatisfied",
            "comment": "大厅说不在那里办",
            "reopen": True,
        },
    )
    assert rated.status_code == 200, rated.json
    assert rated.json["status"] == "received"
    ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    assert ticket["status"] == "received"
    texts = [str(e["data"]) for e in ticket["events"][-2:]]
    assert all("大厅说不在那里办" in t for t in texts)
    steps = client.get(f"/api/v1/track/{number}?phone={PHONE}").json["timeline"]
    assert steps[-1]["action"] == "requeue" and steps[-1]["comment"] == "大厅说不在那里办"
    queue = client.get("/api/v1/tickets?status=received", headers=operator).json["items"]
    assert number in [t["number"] for t in queue]
    # The operator answers again: a new round of follow-up, rated afresh.
    act(client, number, operator, action="answer", reply="请到街道便民服务中心补办")
    view = client.get(f"/api/v1/track/{number}?phone={PHONE}").json
    assert view["can_rate"] is True and view["reply"] == "请到街道便民服务中心补办"


def test_unsatisfied_without_reopen_waits_in_the_worklist(app, client, new_ticket, staff):
    operator, agent = staff("operator"), staff("agent", department=AGENT_DEPT)
    number = resolved(client, new_ticket, operator, agent)
    client.post(
        f"/api/v1/track/{number}/rate",
        json={"phone": PHONE, "rating": "unsatisfied", "comment": "摊点又回来了"},
    )
    ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    # The follow-up window no longer closes it: nobody would see the complaint again.
    assert ticket["status"] == "resolved" and ticket["followup_due"] is None
    assert "requeue" in ticket["allowed_actions"] and "reopen" in ticket["allowed_actions"]
    back = act(client, number, operator, action="requeue", reason="换单位处理")
    assert back["status"] == "received" and back["department"] is None


def test_three_unanswered_calls_close_as_unreachable(app, client, new_ticket, staff):
    operator, agent = staff("operator"), staff("agent", department=AGENT_DEPT)
    number = resolved(client, new_ticket, operator, agent)
    for attempt in (1, 2):
        ticket = act(client, number, operator, action="followup_call", outcome="not_reached")
        assert ticket["status"] == "resolved"
        assert ticket["events"][-1]["data"]["attempt"] == attempt
    ticket = act(client, number, operator, action="followup_call", outcome="not_reached")
    assert ticket["status"] == "closed"
    assert ticket["events"][-1]["data"]["result"] == "unreachable"
    assert ticket["events"][-1]["to_status"] == "closed"
    # Refused closes at once, with its own result.
    other = resolved(client, new_ticket, operator, agent)
    ticket = act(client, other, operator, action="followup_call", outcome="refused")
    assert ticket["status"] == "closed"
    rates = client.get("/api/v1/stats/rates?org_unit=5101", headers=operator).json["total"]
    assert rates["unreachable"] == 1 and rates["refused"] == 1 and rates["rated"] == 0


def test_rating_taken_on_the_phone_names_who_took_it(app, client, new_ticket, staff):
    operator, agent = staff("operator", username="huifang1"), staff("agent", department=AGENT_DEPT)
    number = resolved(client, new_ticket, operator, agent)
    act(client, number, operator, action="followup_call", outcome="reached")
    ticket = act(client, number, operator, action="rate", rating="basically_satisfied")
    assert ticket["rated_by"] == "huifang1"
    assert ticket["events"][-1]["data"]["channel"] == "phone"
    assert ticket["events"][-1]["data"]["by"] == "huifang1"


def test_merged_resident_sees_the_main_ticket_and_rates_it(app, client, new_ticket, staff):
    operator, agent = staff("operator"), staff("agent", department=AGENT_DEPT)
    main = new_ticket()
    second = new_ticket(phone="13900001111")
    act(client, second, operator, action="merge", into=main)
    act(client, main, operator, action="dispatch", department=AGENT_DEPT)
    act(client, main, agent, action="sign")
    view = client.get(f"/api/v1/track/{second}?phone=13900001111").json
    assert view["merged_into"] == main and view["main"]["status"] == "accepted"
    assert view["can_rate"] is False
    act(client, main, agent, action="resolve", reply="已清理占道摊点")
    view = client.get(f"/api/v1/track/{second}?phone=13900001111").json
    assert view["reply"] == "已清理占道摊点" and view["main"]["reply"] == "已清理占道摊点"
    assert "resolve" in [s["action"] for s in view["main"]["timeline"]]
    assert "resolve" in [s["action"] for s in view["timeline"]]
    assert view["can_rate"] is True
    rated = client.post(
        f"/api/v1/track/{second}/rate",
        json={"phone": "13900001111", "rating": "satisfied", "comment": "谢谢"},
    )
    assert rated.status_code == 200, rated.json
    assert rated.json["rating"] == "satisfied" and rated.json["can_rate"] is False
    again = client.post(
        f"/api/v1/track/{second}/rate", json={"phone": "13900001111", "rating": "satisfied"}
    )
    assert again.status_code == 409
    # The main ticket's department and supervisors read the merged resident's view.
    events = client.get(f"/api/v1/tickets/{main}", headers=operator).json["events"]
    assert events[-1]["data"].get("merged") == second
    # They heard it by SMS too, with the link to rate.
    with app.app_context():
        from sqlalchemy import select

        from hotline.core.extensions import db
        from hotline.notifications.models import OutboxMessage

        texts = db.session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.to == "13900001111")
        ).all()
        assert any("已清理占道摊点" in t and second in t for t in texts), texts
        db.session.remove()
    # The main resident still rates on their own.
    assert client.get(f"/api/v1/track/{main}?phone={PHONE}").json["can_rate"] is True


def test_the_rates_page_shows_the_unreachable_count(app, client, new_ticket, staff):
    from tests.support.web import signed_in

    operator, agent = staff("operator"), staff("agent", department=AGENT_DEPT)
    number = resolved(client, new_ticket, operator, agent)
    for _ in range(3):
        act(client, number, operator, action="followup_call", outcome="not_reached")
    page = signed_in(app, staff, "supervisor", org_unit="5101").get("/supervisor/rates")
    html = page.get_data(as_text=True)
    stat = html.split('id="unreachable"', 1)[1].split("</div>", 1)[0]
    assert "<b>1</b>" in stat and "回访未接通" in stat
