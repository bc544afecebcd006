"""Every action in every state: allowed ones work, refused ones are 409 and change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotline.tickets.models import STATUSES
from hotline.tickets.states import TRANSITIONS
from tests.support.plugin import set_reply_review

DEPT = "510107005-urban_management"
OTHER = "510107-urban_management"


def act(client, number, headers, **body):
    return client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)


def ticket_in(state, client, new_ticket, admin):
    """Drive a fresh ticket into ``state`` through the API."""
    number = new_ticket()
    paths = {
        "received": [],
        "dispatched": [{"action": "dispatch", "department": DEPT}],
        "accepted": [{"action": "dispatch", "department": DEPT}, {"action": "sign"}],
        "returned": [
            {"action": "dispatch", "department": DEPT},
            {"action": "return", "reason": "非本部门"},
        ],
        "resolved": [
            {"action": "dispatch", "department": DEPT},
            {"action": "sign"},
            {"action": "resolve", "reply": "已办"},
        ],
        "answered": [{"action": "answer", "reply": "已答复"}],
        "closed": [
            {"action": "dispatch", "department": DEPT},
            {"action": "sign"},
            {"action": "resolve", "reply": "已办"},
            {"action": "rate", "rating": "unsatisfied"},
            {"action": "close"},
        ],
        "merged": [{"action": "merge", "into": new_ticket()}],
        "reviewing": [
            {"action": "dispatch", "department": DEPT},
            {"action": "sign"},
            {"action": "resolve", "reply": "已办"},
        ],
    }
    for body in paths[state]:
        old = set_reply_review(client.application, "all" if state == "reviewing" else None)
        response = act(client, number, admin, **body)
        set_reply_review(client.application, old)
        assert response.status_code == 200, (state, body, response.json)
    assert client.get(f"/api/v1/tickets/{number}", headers=admin).json["status"] == state
    return number


# Where an action with a choice of outcomes leads with the bodies below.
OUTCOME = {"resolve": "resolved", "review_reply": "resolved"}


def payload(action, client, new_ticket, admin, number, staff):
    bodies = {
        "dispatch": {"department": DEPT},
        "sign": {},
        "return": {"reason": "不属于本部门"},
        "transfer": {"department": OTHER, "reason": "转区级"},
        "note": {"text": "办理记录"},
        "request_extension": {"days": 2, "reason": "需协调"},
        "decide_extension": {"approve": True},
        "resolve": {"reply": "已处理"},
        "answer": {"reply": "已答复"},
        "rate": {"rating": "satisfied"},
        "reopen": {"reason": "未解决"},
        "close": {},
        "merge": {"into": None},
        "urge": {"text": "请加快"},
        "supervise": {"text": "督办"},
        "mark_urgent": {},
        "edit": {"address": "武侯区玉林街道玉林北路1号", "reason": "市民更正地址"},
        "recall": {"reason": "派错单位，收回重派"},
        "requeue": {"reason": "市民不满意"},
        "followup_call": {"outcome": "not_reached"},
        # A refusal: the ticket stays where it is (an approval is tested in tests/workflow).
        "review_request": {"approve": False, "reason": "属本部门职责"},
        "review_reply": {"approve": True},
        "request_pause": {"reason": "waiting_resident", "until": str(date.today() + timedelta(5))},
        "decide_pause": {"approve": True},
        "contribute": {"text": "协办意见"},
        "hide_text": {"text": "占道经营"},
        "exclude_rating": {"reason": "不合理诉求"},
        "restore_rating": {"reason": "复核后恢复"},
    }
    body = {"action": action, **bodies[action]}
    state = client.get(f"/api/v1/tickets/{number}", headers=admin).json["status"]
    if action == "review_request" and state in TRANSITIONS["return"].sources:
        agent = staff("agent", department=DEPT)
        act(client, number, agent, action="return", reason="非本部门")
    if action == "decide_pause":
        act(client, number, admin, action="request_pause", **bodies["request_pause"])
    if action in ("exclude_rating", "restore_rating"):
        # Only a rated ticket's rating can be excluded, and only an excluded one restored.
        act(client, number, admin, action="rate", rating="unsatisfied")
        if action == "restore_rating":
            act(client, number, admin, action="exclude_rating", reason="不合理诉求")
    if action == "merge":
        body["into"] = new_ticket()
    main = client.get(f"/api/v1/tickets/{number}", headers=admin).json["merged_into"]
    if action == "rate" and main:
        # A merged ticket's resident rates the main ticket's result: give it one.
        act(client, main, admin, action="answer", reply="已答复")
    if action == "decide_extension":
        # Deciding needs a pending request; make one when the state allows it.
        act(client, number, admin, action="request_extension", days=2, reason="需协调")
    return body


@pytest.mark.parametrize("state", STATUSES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_action_in_state(client, new_ticket, staff, state, action):
    admin = staff("admin")
    number = ticket_in(state, client, new_ticket, admin)
    body = payload(action, client, new_ticket, admin, number, staff)
    before = client.get(f"/api/v1/tickets/{number}", headers=admin).json
    response = act(client, number, admin, **body)
    transition = TRANSITIONS[action]
    if state in transition.sources:
        assert response.status_code == 200, (state, action, response.json)
        target = OUTCOME.get(action, transition.target or state)
        assert response.json["status"] == target
        # A changed fact may be followed by the new routing proposal (a system event).
        last = [e for e in response.json["events"] if e["action"] != "reroute"][-1]
        assert (last["action"], last["from_status"], last["to_status"]) == (action, state, target)
    else:
        assert response.status_code == 409, (state, action, response.json)
        assert response.json["error"]["code"] == "invalid_state"
        after = client.get(f"/api/v1/tickets/{number}", headers=admin).json
        assert after["version"] == before["version"]
        assert after["events"] == before["events"]


@pytest.mark.parametrize(
    ("role", "action", "body"),
    [
        ("agent", "dispatch", {"department": DEPT}),
        ("agent", "answer", {"reply": "x"}),
        ("agent", "merge", {"into": "20260101-000001"}),
        ("supervisor", "sign", {}),
        ("operator", "sign", {}),
        ("operator", "resolve", {"reply": "x"}),
        ("supervisor", "resolve", {"reply": "x"}),
        ("agent", "decide_extension", {"approve": True}),
        ("agent", "supervise", {}),
    ],
)
def test_roles_that_may_not_act(client, new_ticket, staff, role, action, body):
    admin = staff("admin")
    headers = staff(
        role,
        department=DEPT if role == "agent" else None,
        org_unit="5101" if role == "supervisor" else None,
    )
    number = ticket_in(
        "accepted" if action != "dispatch" else "received", client, new_ticket, admin
    )
    if action in ("dispatch", "answer", "merge") and role == "agent":
        number = ticket_in("dispatched", client, new_ticket, admin)
    before = client.get(f"/api/v1/tickets/{number}", headers=admin).json
    response = act(client, number, headers, action=action, **body)
    assert response.status_code in (403, 409)
    assert response.status_code == 403 or response.json["error"]["code"] == "invalid_state"
    assert (
        client.get(f"/api/v1/tickets/{number}", headers=admin).json["version"] == before["version"]
    )


def test_data_checks_refuse_and_change_nothing(client, new_ticket, staff):
    admin = staff("admin")
    number = ticket_in("accepted", client, new_ticket, admin)
    before = client.get(f"/api/v1/tickets/{number}", headers=admin).json
    cases = [
        ({"action": "decide_extension", "approve": True}, 409),
        ({"action": "transfer", "department": "nope", "reason": "x"}, 422),
        ({"action": "transfer", "department": DEPT, "reason": "x"}, 422),
        ({"action": "request_extension", "days": 0, "reason": "x"}, 400),
        ({"action": "return"}, 400),
        ({"action": "fly"}, 400),
        ({"action": "note", "text": ""}, 400),
        ({"action": "note", "text": "x", "colour": "red"}, 400),
    ]
    for body, status in cases:
        response = act(client, number, admin, **body)
        assert response.status_code == status, (body, response.json)
        assert "error" in response.json
    after = client.get(f"/api/v1/tickets/{number}", headers=admin).json
    assert after["version"] == before["version"] and after["events"] == before["events"]
