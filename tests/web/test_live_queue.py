"""The live queue: the change stamp (304 while nothing changed), actions in place, bulk
actions, and the incoming call's history panel."""

from __future__ import annotations

import dataclasses

from hotline.live.stamp import forget
from tests.support.plugin import DEPT


def test_stamp_answers_304_until_something_changes(app, client, signin, new_ticket):
    assert client.get("/live/stamp").status_code == 401
    op = signin("operator")
    first = op.get("/live/stamp")
    assert first.status_code == 200 and first.headers["ETag"]
    etag = first.headers["ETag"]
    again = op.get("/live/stamp", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    new_ticket()
    forget()
    changed = op.get("/live/stamp", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # The console renders the stamp it was built at, so its first poll misses nothing.
    page = op.get("/operator").get_data(as_text=True)
    assert f'data-live-stamp="{changed.json["stamp"]}"' in page


def test_dispatch_in_place_answers_with_the_row(app, client, signin, new_ticket):
    number = new_ticket()
    op = signin("operator")
    page = op.get("/operator").get_data(as_text=True)
    assert f'hx-post="/operator/{number}/dispatch"' in page and 'data-live-region="rows"' in page
    done = op.post(f"/operator/{number}/dispatch", headers={"HX-Request": "true"})
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert body.strip().startswith(f'<tr id="row-{number}"') and "已派往" in body
    # Refused in place: the message, a 4xx, no redirect (the page stays where it was).
    again = op.post(f"/operator/{number}/dispatch", headers={"HX-Request": "true"})
    assert again.status_code == 409 and "已被他人派单" in again.get_data(as_text=True)


def test_bulk_dispatch_and_bulk_urge(app, client, signin, staff, new_ticket):
    first, second = new_ticket(), new_ticket()
    op = signin("operator")
    response = op.post("/operator/bulk-dispatch", data={"numbers": [first, second]})
    assert response.status_code == 303
    api = staff("operator")
    for number in (first, second):
        assert client.get(f"/api/v1/tickets/{number}", headers=api).json["status"] == "dispatched"
    supervisor = signin("supervisor", org_unit="510107")
    response = supervisor.post("/supervisor/bulk-urge", data={"numbers": [first, second],
                               "text": "请加快办理"})  # fmt: skip
    assert response.status_code == 303
    for number in (first, second):
        events = client.get(f"/api/v1/tickets/{number}", headers=api).json["events"]
        assert events[-1]["action"] == "urge" and events[-1]["data"]["text"] == "请加快办理"
    assert op.post("/operator/bulk-dispatch", data={}).status_code in (303, 422)


def test_incoming_call_shows_the_callers_history(app, client, signin, staff, new_ticket):
    earlier = new_ticket(phone="13912345678", description="第一次反映：夜市占道经营")
    closed = new_ticket(phone="13912345678", description="咨询公积金")
    api = staff("operator")
    client.post(f"/api/v1/tickets/{closed}/actions", headers=api,
                json={"action": "answer", "reply": "已答复"})  # fmt: skip
    original = app.config["HOTLINE"]
    app.config["HOTLINE"] = dataclasses.replace(original, twilio_dev_mode=True,
                                                twilio_auth_token=None)  # fmt: skip
    try:
        answer = client.post("/twilio/voice", data={"CallSid": "CA" + "1" * 32,
                             "From": "+8613912345678"})  # fmt: skip
        assert answer.status_code == 200
    finally:
        app.config["HOTLINE"] = original
    op = signin("operator")
    page = op.get("/operator").get_data(as_text=True)
    panel = page.split('id="calls"')[1].split('id="bulk-form"')[0]
    assert "13912345678" in panel and earlier in panel and closed in panel
    assert panel.index(earlier) < panel.index(closed)  # open tickets first
    assert "该号码共有 2 件历史工单" in panel


def test_ticket_page_shows_the_callers_other_tickets(app, client, signin, staff, new_ticket):
    first = new_ticket(phone="13700001111", description="第一次")
    second = new_ticket(phone="13700001111", description="第二次")
    op = signin("operator")
    page = op.get(f"/tickets/{second}").get_data(as_text=True)
    assert 'id="caller-history"' in page and first in page.split('id="caller-history"')[1]
    api = staff("operator")
    client.post(f"/api/v1/tickets/{second}/actions", headers=api,
                json={"action": "dispatch", "department": DEPT, "reason": "属地"})  # fmt: skip
    agent = signin("agent", department=DEPT)
    page = agent.get(f"/tickets/{second}").get_data(as_text=True)
    assert 'id="caller-history"' in page and first in page.split('id="caller-history"')[1]
    supervisor = signin("supervisor", org_unit="5101")
    page = supervisor.get(f"/tickets/{second}").get_data(as_text=True)
    assert 'id="caller-history"' not in page


def test_duplicates_look_at_township_words_and_the_callers_open_tickets(signin, new_ticket):
    ticket = new_ticket(description="夜市占道经营，噪音扰民", phone="13911110000")
    reordered = new_ticket(description="噪音扰民！夜市占道经营", phone="13922220000",
                           community_code="510107005002")  # fmt: skip
    elsewhere = new_ticket(description="夜市占道经营，噪音扰民", phone="13933330000",
                           community_code="510104017001")  # fmt: skip
    callers = new_ticket(description="小区停水", phone="13911110000",
                         community_code="510104017002")  # fmt: skip
    unrelated = new_ticket(description="电梯坏了", phone="13944440000",
                           community_code="510107005004")  # fmt: skip
    op = signin("operator")
    partial = op.get(f"/operator/{ticket}/duplicates").get_data(as_text=True)
    assert reordered in partial and callers in partial
    assert elsewhere not in partial and unrelated not in partial
    assert partial.index(callers) < partial.index(reordered)  # the caller's own come first
    assert 'data-reason="caller"' in partial and 'data-reason="township"' in partial


def test_live_reloads_share_one_rendering_with_each_users_csrf_token(app, signin, new_ticket):
    import re

    new_ticket()
    first, second = signin("operator"), signin("operator")
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    own = [
        token.search(c.get("/operator").get_data(as_text=True)).group(1) for c in (first, second)
    ]
    forget()
    pages = [c.get("/operator", headers={"X-Live": "1"}).get_data(as_text=True)
             for c in (first, second)]  # fmt: skip
    assert set(token.findall(pages[0])) == {own[0]}
    assert set(token.findall(pages[1])) == {own[1]}
    assert pages[0].replace(own[0], "") == pages[1].replace(own[1], "")
    assert 'class="who"' not in pages[1]  # nobody's name in a shared rendering
