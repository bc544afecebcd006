"""Confidential requesters (保密): departments never see who the resident is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from tests.support.twilio import new_sid
from tests.twilio.test_voice import Call
from tests.workflow.helpers import LEAD, PHONE, act, get

NAME = "王建国"
SECRET = "我是3栋502的王建国"


def confidential_ticket(client, new_ticket, staff):
    number = new_ticket(confidential=True, name=NAME, description=f"{SECRET}，楼下烧烤油烟扰民")
    operator = staff("operator")
    act(client, number, operator, action="dispatch", department=LEAD)
    return number, operator


def test_agents_see_neither_name_nor_phone(client, new_ticket, staff):
    number, operator = confidential_ticket(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    supervisor = staff("supervisor", org_unit="510107")
    full = get(client, number, operator)
    assert (full["name"], full["phone"], full["confidential"]) == (NAME, PHONE, True)
    for headers in (agent, supervisor):
        view = client.get(f"/api/v1/tickets/{number}", headers=headers)
        listed = client.get("/api/v1/tickets", headers=headers)
        for body in (view.text, listed.text):
            assert NAME not in body and PHONE not in body and PHONE[-4:] not in body
        assert view.json["name"] is None and set(view.json["phone"]) == {"*"}
    # The same ticket without 保密 shows the department the number, as before.
    plain = new_ticket(name=NAME)
    act(client, plain, operator, action="dispatch", department=LEAD)
    assert get(client, plain, agent)["phone"] == PHONE


def test_operator_marks_identifying_text(client, new_ticket, staff):
    number, operator = confidential_ticket(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    act(client, number, operator, 422, action="hide_text", text="不在文中的话")
    act(client, number, staff("agent", department=LEAD), 403, action="hide_text", text="3栋502")
    act(client, number, operator, action="hide_text", text="3栋502")
    act(client, number, agent, action="note", text="已联系3栋502住户")
    view = client.get(f"/api/v1/tickets/{number}", headers=agent)
    assert "3栋502" not in view.text and "烧烤油烟扰民" in view.json["description"]
    assert get(client, number, operator)["description"].startswith(SECRET)
    assert get(client, number, operator)["hidden_texts"] == ["3栋502"]


def test_tracking_by_number_and_phone_works_as_before(client, new_ticket, staff):
    number, _ = confidential_ticket(client, new_ticket, staff)
    tracked = client.get(f"/api/v1/track/{number}?phone={PHONE}")
    assert tracked.status_code == 200 and tracked.json["status"] == "dispatched"
    assert client.get(f"/api/v1/track/{number}?phone=13900000000").status_code == 404


def test_agent_pages_hide_the_resident(client, new_ticket, staff, signin):
    number, _ = confidential_ticket(client, new_ticket, staff)
    agent = signin("agent", department=LEAD)
    for path in (f"/tickets/{number}", "/department?state=dispatched"):
        page = agent.get(path).text
        assert number in page and NAME not in page and PHONE[-4:] not in page


def _found(client, headers, q):
    response = client.get("/api/v1/tickets", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.json
    return [item["number"] for item in response.json["items"]]


def test_departments_cannot_search_by_the_resident(client, new_ticket, staff, signin):
    number, operator = confidential_ticket(client, new_ticket, staff)
    act(client, number, operator, action="note", text=f"{NAME}来电补充：晚上十点后更严重")
    # The same caller's ordinary ticket stays findable by phone, as before.
    plain = new_ticket(name=NAME)
    act(client, plain, operator, action="dispatch", department=LEAD)
    for headers in (staff("agent", department=LEAD), staff("supervisor", org_unit="510107")):
        assert _found(client, headers, PHONE) == [plain]
        assert _found(client, headers, PHONE[-4:]) == [plain]
        for q in (NAME, "王", "的王建", f"油烟 {NAME}", "建国来电", f"{PHONE} {number}"):
            assert _found(client, headers, q) == [], q
        # Its number and the words of the matter still find it.
        for q in (number, "烧烤油烟", "十点", "3栋502"):
            assert _found(client, headers, q) == [number], q
        listed = client.get("/api/v1/tickets", query_string={"q": number}, headers=headers)
        assert NAME not in listed.text and PHONE not in listed.text
    # The centre knows who filed it.
    assert _found(client, operator, PHONE) == [plain, number]
    assert _found(client, operator, PHONE[-4:]) == [plain, number]
    assert _found(client, operator, NAME) == [number]
    # The search page answers the same.
    page = signin("agent", department=LEAD)
    for q in (PHONE, PHONE[-4:], NAME):
        body = page.get("/search", query_string={"q": q}).text
        assert number not in body, q
    body = page.get("/search", query_string={"q": number}).text
    assert number in body and NAME not in body and PHONE[-4:] not in body


def test_caller_history_keeps_confidential_tickets_from_departments(
    client, new_ticket, staff, signin
):
    number, operator = confidential_ticket(client, new_ticket, staff)
    agent = staff("agent", department=LEAD)
    path = f"/api/v1/callers/{PHONE}/tickets"
    # Holding only the confidential ticket, the department may not even learn the caller's.
    assert client.get(path, headers=agent).status_code == 403
    plain = new_ticket(description="小区门口垃圾堆放")
    act(client, plain, operator, action="dispatch", department=LEAD)
    listed = client.get(path, headers=agent)
    assert [t["number"] for t in listed.json["items"]] == [plain]
    assert "烧烤" not in listed.text
    centre = client.get(path, headers=operator).json["items"]
    assert [t["number"] for t in centre] == [plain, number]
    # The ticket page's caller history says the same.
    page = signin("agent", department=LEAD).get(f"/tickets/{plain}").text
    assert plain in page and number not in page


def test_channels_ask_for_confidentiality(app, client, signed: Any, post_request, nocsrf):
    # Portal checkbox.
    form = {"type": "complaint", "description": "噪音扰民", "phone": PHONE, "confidential": "1"}
    assert client.post("/", data=form).status_code in (200, 303)
    # SMS keyword.
    sms = {"MessageSid": new_sid("SM"), "From": "+8613900001111", "Body": "保密 小区夜间施工扰民"}
    assert signed("/twilio/sms", sms).status_code == 200
    # Open311 attribute on any service.
    response = post_request(**{"attribute[confidential]": "true"})
    assert response.status_code == 201, response.json
    # IVR: star in the type menu.
    call = Call(signed, caller="+8613900002222")
    call.step("/twilio/voice")
    call.step("/twilio/voice/menu", Digits="1")
    call.step("/twilio/voice/type", Digits="*")
    call.step("/twilio/voice/type", Digits="4")
    call.step("/twilio/voice/matter", SpeechResult="楼上漏水", Confidence="0.9")
    call.step("/twilio/voice/place", SpeechResult="武侯区玉林北路12号", Confidence="0.9")
    with app.app_context():
        rows = db.session.execute(select(Ticket.channel, Ticket.confidential)).all()
    assert sorted(rows) == [
        ("open311", True), ("phone", True), ("sms", True), ("web", True),
    ]  # fmt: skip
