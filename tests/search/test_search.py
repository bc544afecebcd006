"""Search: number, phone and its last four digits, two-character Chinese words, notes, scope."""

from __future__ import annotations

from typing import Any

from tests.support.plugin import DEPT, OTHER_DEPT


def _numbers(client: Any, headers: dict[str, str], **params: Any) -> list[str]:
    response = client.get("/api/v1/tickets", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    assert {"items", "page", "total", "total_capped"} <= set(response.json)
    return [item["number"] for item in response.json["items"]]


def test_search_words_numbers_and_phones(client, staff, new_ticket):
    op = staff("operator")
    noise = new_ticket(description="楼下广场舞噪音太大，晚上十点还在跳", phone="13900001111")
    water = new_ticket(description="小区突然停水，没有任何通知", phone="13800002222")
    other = new_ticket(description="路灯不亮", phone="13700003333", address="玉林北路8号")
    assert _numbers(client, op, q="噪音") == [noise]
    assert _numbers(client, op, q="停水") == [water]
    assert _numbers(client, op, q="停水通知") == []  # the words must be adjacent
    assert _numbers(client, op, q="没有任何通知") == [water]
    assert _numbers(client, op, q="玉林北路") == [other]
    assert _numbers(client, op, q="1111") == [noise]  # last four digits of the phone
    assert _numbers(client, op, q="13800002222") == [water]
    assert _numbers(client, op, q=water) == [water]
    assert _numbers(client, op, q=water.replace("-", "")) == [water]
    assert _numbers(client, op, q="停水 小区") == [water]  # every term must match
    assert _numbers(client, op, q="噪音", status="closed") == []  # with the other filters
    assert _numbers(client, op, q="ＮＯＩＳＥ") == []


def test_search_reply_and_notes(client, staff, new_ticket):
    op = staff("operator")
    number = new_ticket(description="占道经营")
    client.post(f"/api/v1/tickets/{number}/actions", headers=op, json={"action": "note",
                "text": "市民补充：油烟扰民严重"})  # fmt: skip
    assert _numbers(client, op, q="油烟") == [number]
    client.post(f"/api/v1/tickets/{number}/actions", headers=op, json={"action": "dispatch"})
    agent = staff("agent", department=DEPT)
    client.post(f"/api/v1/tickets/{number}/actions", headers=agent, json={"action": "sign"})
    client.post(f"/api/v1/tickets/{number}/actions", headers=agent,
                json={"action": "resolve", "reply": "已清理摊点并加强巡查"})  # fmt: skip
    assert _numbers(client, agent, q="巡查") == [number]
    assert _numbers(client, agent, q="油烟") == [number]  # the note is still indexed


def test_search_keeps_scope(client, staff, new_ticket):
    op = staff("operator")
    number = new_ticket(description="井盖丢失很危险")
    client.post(f"/api/v1/tickets/{number}/actions", headers=op,
                json={"action": "dispatch", "department": DEPT, "reason": "属地"})  # fmt: skip
    mine = staff("agent", department=DEPT)
    theirs = staff("agent", department=OTHER_DEPT)
    assert _numbers(client, mine, q="井盖") == [number]
    assert _numbers(client, theirs, q="井盖") == []
    assert _numbers(client, theirs, q=number) == []


def test_search_total_is_capped(app, client, staff, new_ticket, monkeypatch):
    from hotline.search import query

    monkeypatch.setattr(query, "COUNT_CAP", 2)
    op = staff("operator")
    for _ in range(3):
        new_ticket(description="垃圾清运不及时")
    body = client.get("/api/v1/tickets?q=垃圾", headers=op).json
    assert body["total"] == 2 and body["total_capped"] is True
    assert len(body["items"]) == 3
    body = client.get("/api/v1/tickets?q=清运&per_page=1", headers=op).json
    assert body["page"] == 1 and len(body["items"]) == 1


def test_search_rejects_bad_query(client, staff):
    op = staff("operator")
    response = client.get("/api/v1/tickets", query_string={"q": "x" * 101}, headers=op)
    assert response.status_code in (400, 422)
    assert "q" in response.json["error"]["fields"]


def test_caller_history(client, staff, new_ticket):
    op = staff("operator")
    first = new_ticket(phone="13912340000", description="第一次反映占道")
    second = new_ticket(phone="13912340000", description="第二次反映占道")
    new_ticket(phone="13800000000", description="别人的工单")
    body = client.get("/api/v1/callers/13912340000/tickets", headers=op).json
    assert [t["number"] for t in body["items"]] == [second, first]  # newest first
    assert client.get("/api/v1/callers/+8613912340000/tickets", headers=op).json["items"]
    # A department sees the history only once it holds one of the caller's tickets.
    agent = staff("agent", department=DEPT)
    assert client.get("/api/v1/callers/13912340000/tickets", headers=agent).status_code == 403
    client.post(f"/api/v1/tickets/{first}/actions", headers=op,
                json={"action": "dispatch", "department": DEPT, "reason": "属地"})  # fmt: skip
    response = client.get("/api/v1/callers/13912340000/tickets", headers=agent)
    assert response.status_code == 200 and len(response.json["items"]) == 2
    other = staff("agent", department=OTHER_DEPT)
    assert client.get("/api/v1/callers/13912340000/tickets", headers=other).status_code == 403
    supervisor = staff("supervisor", org_unit="5101")
    assert client.get("/api/v1/callers/13912340000/tickets", headers=supervisor).status_code == 403
    assert client.get("/api/v1/callers/13912340000/tickets").status_code == 401
    bad = client.get("/api/v1/callers/abc/tickets", headers=op)
    assert bad.status_code in (400, 422) and "phone" in bad.json["error"]["fields"]
