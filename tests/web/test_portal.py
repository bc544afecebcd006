"""The resident portal: write in, receipt, tracking, rating."""

from __future__ import annotations

import re

FORM = {
    "type": "complaint",
    "description": "玉林北路12号门口每天晚上有人占道经营，噪音很大",
    "phone": "138 1234 5678",
    "district": "510107",
    "township": "510107005",
    "community": "510107005001",
    "address": "玉林北路12号",
}


def write_in(client, **changes):
    response = client.post("/", data={**FORM, **changes})
    assert response.status_code == 303, response.text[:500]
    receipt = client.get(response.headers["Location"])
    number = re.search(r'id="ticket-number">(\d{8}-\d{6})<', receipt.text).group(1)
    return number, receipt


def test_form_lists_the_districts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert 'value="510107"' in page.text and "武侯区" in page.text
    assert 'name="csrf_token"' in page.text


def test_write_in_gives_a_number_and_stores_the_place(app, client, nocsrf):
    number, receipt = write_in(client)
    assert "您的诉求已受理" in receipt.text
    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    with app.app_context():
        ticket = db.session.query(Ticket).filter_by(number=number).one()
        assert ticket.phone == "13812345678"
        assert ticket.org_unit_code == "510107005001"
        assert ticket.channel == "web"
        assert ticket.address == "玉林北路12号"
        db.session.remove()


def test_township_only_and_free_text_place(app, client, nocsrf):
    number, _ = write_in(client, community="", township="510107005")
    number2, _ = write_in(client, district="", township="", community="", address="玉林北路")
    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    with app.app_context():
        assert db.session.query(Ticket).filter_by(number=number).one().org_unit_code == "510107005"
        assert db.session.query(Ticket).filter_by(number=number2).one().address == "玉林北路"
        db.session.remove()


def test_emergency_notice(client, nocsrf):
    _, receipt = write_in(client, description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    assert "notice-emergency" in receipt.text
    assert "110" in receipt.text and "119" in receipt.text


def test_invalid_input_rerenders_with_messages(client, nocsrf):
    response = client.post("/", data={**FORM, "phone": "12345", "description": " "})
    assert response.status_code == 400
    assert "请填写正确的手机号" in response.text
    assert "请填写您要反映的事项" in response.text
    assert 'value="510107"' in response.text  # the districts are still offered
    bad_place = client.post("/", data={**FORM, "community": "999999999999"})
    assert bad_place.status_code == 400
    assert "请重新选择所在地区" in bad_place.text
    junk = client.post("/", data={"type": "nonsense", "description": "x\x00", "phone": "1"})
    assert junk.status_code == 400


def test_receipt_needs_the_writing_session(client):
    assert client.get("/submitted").status_code == 302


def test_track_with_number_and_phone(app, client, nocsrf, act_as):
    number, _ = write_in(client)
    other = app.test_client()  # a different browser that never wrote in
    assert other.get(f"/track/{number}").status_code == 302  # asks for proof first
    wrong = other.post("/track", data={"number": number, "phone": "13900000000"})
    assert wrong.status_code == 404 and "未找到工单" in wrong.text
    assert other.post("/track", data={"number": "bad", "phone": "x"}).status_code == 404
    ok = other.post("/track", data={"number": number, "phone": "13812345678"})
    assert ok.status_code == 303
    page = other.get(ok.headers["Location"])
    assert page.status_code == 200
    assert "您的诉求已受理" in page.text
    # Internal steps never reach the resident.
    act_as(number, "admin", action="note", text="内部备注：请尽快")
    page = other.get(f"/track/{number}")
    assert "内部备注" not in page.text
    assert "13812345678" not in page.text


def test_resident_rates_the_result(client, nocsrf, act_as):
    from tests.support.plugin import DEPT

    number, _ = write_in(client)
    act_as(number, action="dispatch", department=DEPT)
    act_as(number, action="sign")
    act_as(number, action="resolve", reply="已联合街道执法队清理占道摊点。")
    page = client.get(f"/track/{number}")
    assert "已联合街道执法队清理占道摊点" in page.text
    assert 'id="rate-form"' in page.text
    rated = client.post(f"/track/{number}/rate", data={"rating": "satisfied", "comment": "很好"})
    assert rated.status_code == 303
    page = client.get(f"/track/{number}")
    assert "您的评价：" in page.text and 'id="rate-form"' not in page.text
    again = client.post(f"/track/{number}/rate", data={"rating": "satisfied"})
    assert again.status_code in (303, 409)


def test_unsatisfied_with_reopen(client, nocsrf, act_as):
    from tests.support.plugin import DEPT

    number, _ = write_in(client)
    for payload in (
        {"action": "dispatch", "department": DEPT},
        {"action": "sign"},
        {"action": "resolve", "reply": "已处理"},
    ):
        act_as(number, **payload)
    client.post(
        f"/track/{number}/rate",
        data={"rating": "unsatisfied", "comment": "还在占道", "reopen": "true"},
    )
    page = client.get(f"/track/{number}")
    assert "已重新办理" in page.text


def test_rate_without_proof_is_404(client, nocsrf):
    assert (
        client.post("/track/20260101-000001/rate", data={"rating": "satisfied"}).status_code == 404
    )
