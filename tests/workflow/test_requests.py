"""Reviewed returns and transfers (派单异议审核): an agent asks, the centre rules."""

from __future__ import annotations

from tests.workflow.helpers import LEAD, OTHER, act, get

CITY = "5101"


def dispatched(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=LEAD)
    return number, operator


def test_agents_return_is_a_request_until_approved(client, new_ticket, staff):
    number, operator = dispatched(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    asked = act(client, number, agent, action="return", reason="属区级职责", basis="清单第12项")
    assert asked["status"] == "dispatched" and asked["department"]["code"] == LEAD
    pending = asked["pending_request"]
    assert (pending["kind"], pending["reason"], pending["basis"]) == (
        "return",
        "属区级职责",
        "清单第12项",
    )
    assert asked["events"][-1]["action"] == "return_request"
    # One request at a time; an operator without the reviewer permission may not rule.
    act(client, number, agent, 409, action="transfer", department=OTHER, reason="x")
    act(client, number, operator, 403, action="review_request", approve=True, reason="同意")
    reviewer = staff("operator", reviewer=True)
    assert "review_request" in get(client, number, reviewer)["allowed_actions"]
    assert "review_request" not in get(client, number, operator)["allowed_actions"]
    approved = act(client, number, reviewer, action="review_request", approve=True, reason="同意")
    assert approved["status"] == "returned" and approved["department"] is None
    assert approved["pending_request"] is None
    event = approved["events"][-1]
    assert event["data"]["approve"] is True and event["data"]["requested_reason"] == "属区级职责"
    # The router's feedback: the department it was dispatched to was the wrong one.
    assert event["data"]["feedback"]["wrong"] == LEAD


def test_refused_return_goes_back_with_the_clock_running(app, client, new_ticket, staff):
    from tests.support.sla import messages_to, set_duty_phone

    set_duty_phone(app, LEAD, "13900000088")
    number, _ = dispatched(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    supervisor = staff("supervisor", org_unit="510107")
    before = act(client, number, agent, action="return", reason="不归我们管")["sign_due"]
    act(client, number, supervisor, 400, action="review_request", approve=False)
    refused = act(
        client, number, supervisor, action="review_request", approve=False, reason="属本单位职责"
    )
    assert refused["status"] == "dispatched" and refused["department"]["code"] == LEAD
    assert refused["sign_due"] == before and refused["pending_request"] is None
    view = get(client, number, agent)
    assert view["events"][-1]["data"]["reason"] == "属本单位职责"
    with app.app_context():
        assert messages_to("13900000088") == ["department_dispatch", "department_ruling"]
    assert "sign" in view["allowed_actions"]


def test_transfer_request_approved_redispatches(client, new_ticket, staff):
    number, _ = dispatched(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    act(client, number, agent, action="sign")
    act(client, number, agent, 422, action="transfer", department="nope", reason="x")
    act(client, number, agent, 422, action="transfer", department=LEAD, reason="x")
    asked = act(client, number, agent, action="transfer", department=OTHER, reason="区级统筹")
    assert asked["status"] == "accepted" and asked["pending_request"]["department"] == OTHER
    supervisor = staff("supervisor", org_unit="510107")
    moved = act(client, number, supervisor, action="review_request", approve=True, reason="同意")
    assert moved["status"] == "dispatched" and moved["department"]["code"] == OTHER
    assert moved["events"][-1]["data"]["feedback"]["right"] == OTHER
    # The operator keeps the direct power to transfer.
    operator = staff("operator")
    direct = act(client, number, operator, action="transfer", department=LEAD, reason="改回")
    assert direct["department"]["code"] == LEAD and direct["pending_request"] is None


def test_counts_per_department_and_the_bounce_limit(client, new_ticket, staff):
    number, operator = dispatched(client, new_ticket, staff)
    reviewer = staff("operator", reviewer=True)
    lead, other = staff("agent", department=LEAD), staff("agent", department=OTHER)
    # Three approved bounces (the default limit): LEAD → OTHER → LEAD → returned.
    act(client, number, lead, action="transfer", department=OTHER, reason="区级")
    act(client, number, reviewer, action="review_request", approve=True, reason="同意")
    act(client, number, other, action="transfer", department=LEAD, reason="街道")
    act(client, number, reviewer, action="review_request", approve=False, reason="属区级")
    act(client, number, other, action="transfer", department=LEAD, reason="确属街道")
    act(client, number, reviewer, action="review_request", approve=True, reason="同意")
    act(client, number, lead, action="return", reason="都不对")
    limit = act(client, number, reviewer, action="review_request", approve=True, reason="同意")
    assert limit["escalation_level"] == "city"
    assert limit["events"][-1]["data"]["bounce_limit_reached"] is True
    act(client, number, operator, action="dispatch", department=LEAD)
    # The fourth request goes to the city supervisor: no one else may rule on it.
    asked = act(client, number, lead, action="return", reason="再次退回")
    assert asked["pending_request"]["level"] == "city" and asked["escalation_level"] == "city"
    district = staff("supervisor", org_unit="510107")
    act(client, number, reviewer, 403, action="review_request", approve=True, reason="同意")
    act(client, number, district, 403, action="review_request", approve=True, reason="同意")
    city = staff("supervisor", org_unit=CITY)
    act(client, number, city, action="review_request", approve=False, reason="市级裁定：街道办理")
    figures = client.get("/api/v1/stats/requests", headers=city).json
    rows = {r["department"]: r for r in figures["items"]}
    assert (rows[LEAD]["requests"], rows[LEAD]["approved"], rows[LEAD]["refused"]) == (3, 2, 1)
    assert (rows[OTHER]["requests"], rows[OTHER]["approved"], rows[OTHER]["refused"]) == (2, 1, 1)
    assert rows[LEAD]["returns"] == 2 and rows[LEAD]["transfers"] == 1
    assert figures["bounce_limit"] == 3
    agent_view = client.get("/api/v1/stats/requests", headers=lead)
    assert agent_view.status_code == 403
