"""Every action in every state: allowed ones work, refused ones are 409 and change nothing."""

from __future__ import annotations

import pytest

from hotline.tickets.models import STATUSES
from hotline.tickets.states import TRANSITIONS

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
    }
    for body in paths[state]:
        response = act(client, number, admin, **body)
        assert response.status_code == 200, (state, body, response.json)
    assert client.get(f"/api/v1/tickets/{number}", headers=admin).json["status"] == state
    return number


def payload(action, client, new_ticket, admin, number):
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
        "exclude_rating": {"reason": "不合理诉求"},
        "restore_rating": {"reason": "复核后恢复"},
    }
    body = {"action": action, **bodies[action]}
    if action in ("exclude_rating", "restore_rating"):
        # Only a rated ticket's rating can be excluded, and only an excluded one restored.
        act(client, number, admin, action="rate", rating="unsatisfied")
        if action == "restore_rating":
            act(client, number, admin, action="exclude_rating", reason="不合理诉求")
    if action == "merge":
        body["into"] = new_ticket()
    if action == "decide_extension":
        # Deciding needs a pending request; make one when the state allows it.
        act(client, number, admin, action="request_extension", days=2, reason="需协调")
    return body


@pytest.mark.parametrize("state", STATUSES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_action_in_state(client, new_ticket, staff, state, action):
    admin = staff("admin")
    number = ticket_in(state, client, new_ticket, admin)
    body = payload(action, client, new_ticket, admin, number)
    before = client.get(f"/api/v1/tickets/{number}", headers=admin).json
    response = act(client, number, admin, **body)
    transition = TRANSITIONS[action]
    if state in transition.sources:
        assert response.status_code == 200, (state, action, response.json)
        assert response.json["status"] == (transition.target or state)
        last = response.json["events"][-1]
        assert (last["action"], last["from_status"], last["to_status"]) == (
            action,
            state,
            transition.target or state,
        )
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
