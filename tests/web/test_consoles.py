"""Operator console, department inbox and the ticket page, for every role and scope."""

from __future__ import annotations

import re

from tests.support.plugin import DEPT, OTHER_DEPT


def rows(html, table):
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'id="row-(\d{8}-\d{6})"', body)


def test_triage_queue_order_and_proposal(signin, new_ticket, act_as):
    old = new_ticket(description="玉林北路有人占道经营")
    newer = new_ticket(description="玉林小区门口垃圾堆积无人清运")
    urgent = new_ticket(description="玉林北路井盖丢失")
    act_as(urgent, "operator", action="mark_urgent")
    returned = new_ticket(description="玉林北路店铺油烟扰民")
    act_as(returned, action="dispatch", department=DEPT)
    act_as(returned, "agent", action="return", reason="不属于本单位职责")
    gone = new_ticket()
    act_as(gone, action="dispatch", department=DEPT)
    page = signin("operator").get("/operator")
    assert page.status_code == 200
    order = rows(page.text, "triage")
    assert order[0] == urgent
    assert order.index(old) < order.index(newer) < order.index(returned)
    assert gone not in order
    assert "建议承办" in page.text and "分拨依据" in page.text
    assert "不属于本单位职责" in page.text


def test_one_click_dispatch_accepts_the_proposal(app, signin, new_ticket):
    number = new_ticket()
    client = signin("operator")
    response = client.post(f"/operator/{number}/dispatch", data={})
    assert response.status_code == 303
    page = client.get(f"/tickets/{number}")
    assert "已派单" in page.text
    assert number not in rows(client.get("/operator").text, "triage")


def test_dispatch_elsewhere_needs_a_reason(signin, new_ticket):
    number = new_ticket()
    client = signin("operator")
    client.get("/operator")
    refused = client.post(
        f"/operator/{number}/dispatch",
        data={"department": "510107-urban_management"},
        headers={"Referer": "http://localhost/operator"},
    )
    assert refused.status_code == 303
    assert "改派需填写理由" in client.get("/operator").text  # flashed on the way back
    assert number in rows(client.get("/operator").text, "triage")
    ok = client.post(
        f"/operator/{number}/dispatch",
        data={"department": "510107-urban_management", "reason": "涉及区级统筹"},
    )
    assert ok.status_code == 303
    page = client.get(f"/tickets/{number}")
    assert "改派" in page.text and "涉及区级统筹" in page.text


def test_answer_on_the_spot_from_the_knowledge_base(app, signin, new_ticket):
    from hotline.core.extensions import db
    from hotline.knowledge.operations import seed_articles

    with app.app_context():
        assert seed_articles() >= 10
        db.session.remove()
    client = signin("operator")
    found = client.get("/operator/knowledge?partial=1&q=公积金怎么提取")
    assert "住房公积金提取" in found.text and "<html" not in found.text
    assert "居住证办理" in client.get("/operator/knowledge?q=居住证").text
    assert "没有找到" in client.get("/operator/knowledge?partial=1&q=火星移民").text
    number = new_ticket(type="consultation", description="请问公积金租房怎么提取")
    answered = client.post(
        f"/tickets/{number}/act",
        data={"action": "answer", "reply": "租房提取每年可办理一次。", "next": "/operator"},
    )
    assert answered.status_code == 303 and answered.headers["Location"] == "/operator"
    assert "直接答复" in client.get(f"/tickets/{number}").text


def test_mark_urgent_and_back(signin, new_ticket):
    number = new_ticket(description="玉林北路有人占道")
    client = signin("operator")
    client.post(f"/tickets/{number}/act", data={"action": "mark_urgent", "urgent": "true"})
    page = client.get("/operator").text
    assert rows(page, "triage")[0] == number and "取消紧急" in page
    client.post(f"/tickets/{number}/act", data={"action": "mark_urgent", "urgent": "false"})
    assert "标记紧急" in client.get("/operator").text


def test_merge_suggestions(signin, new_ticket):
    first = new_ticket(description="玉林北路12号门口有人占道经营，每天晚上")
    second = new_ticket(description="玉林北路12号门口有人占道经营摆摊")
    unrelated = new_ticket(description="小区电梯坏了三天没人修", community_code="510107005002",
                           phone="13900000000")  # fmt: skip
    client = signin("operator")
    partial = client.get(f"/operator/{second}/duplicates")
    assert first in partial.text and unrelated not in partial.text
    merged = client.post(f"/tickets/{second}/act", data={"action": "merge", "into": first})
    assert merged.status_code == 303
    assert "已合并" in client.get(f"/tickets/{second}").text
    assert second not in rows(client.get("/operator").text, "triage")


def test_follow_up_queue_records_a_phone_rating(signin, new_ticket, act_as):
    number = new_ticket()
    for payload in (
        {"action": "dispatch", "department": DEPT},
        {"action": "sign"},
        {"action": "resolve", "reply": "已清理"},
    ):
        act_as(number, **payload)
    client = signin("operator")
    page = client.get("/operator/follow-up")
    assert number in rows(page.text, "follow-up")
    assert "13812345678" in page.text  # operators call the resident back
    client.post(
        f"/tickets/{number}/act",
        data={"action": "rate", "rating": "basically_satisfied", "comment": "电话回访"},
    )
    page = client.get("/operator/follow-up")
    assert 'id="follow-up"' not in page.text or number not in rows(page.text, "follow-up")
    assert "基本满意" in client.get(f"/tickets/{number}").text


def test_agent_inbox_scope(signin, new_ticket, act_as):
    mine = new_ticket()
    act_as(mine, action="dispatch", department=DEPT)
    theirs = new_ticket(description="春熙路有人占道", community_code=None)
    act_as(theirs, action="dispatch", department=OTHER_DEPT)
    agent = signin("agent", department=DEPT)
    page = agent.get("/department")
    assert page.status_code == 200
    assert mine in page.text
    assert theirs not in page.text
    assert agent.get(f"/tickets/{theirs}").status_code == 404
    refused = agent.post(f"/tickets/{theirs}/act", data={"action": "sign"})
    assert refused.status_code in (303, 403)
    assert "已派单" in signin("admin").get(f"/tickets/{theirs}").text  # not signed


def test_agent_signs_notes_extends_and_resolves(signin, new_ticket, act_as):
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    agent = signin("agent", department=DEPT)
    page = agent.get("/department?state=dispatched")
    assert "data-due=" in page.text and 'data-action="sign"' in page.text
    assert agent.post(f"/tickets/{number}/act", data={"action": "sign"}).status_code == 303
    page = agent.get("/department?state=accepted")
    assert number in rows(page.text, "inbox")
    for data in (
        {"action": "note", "text": "已联系摊主"},
        {"action": "request_extension", "days": "2", "reason": "需联合市场监管"},
        {"action": "resolve", "reply": "已清理占道摊点，并安排夜间巡查。"},
    ):
        response = agent.post(f"/tickets/{number}/act", data=data)
        assert response.status_code == 303, data
    detail = agent.get(f"/tickets/{number}").text
    assert "已联系摊主" in detail and "需联合市场监管" in detail and "已办结" in detail
    assert number in rows(agent.get("/department?state=resolved").text, "inbox")
    assert agent.get("/department?state=nonsense").status_code == 404


def test_agent_returns_with_a_reason(signin, new_ticket, act_as):
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    agent = signin("agent", department=DEPT)
    missing = agent.post(f"/tickets/{number}/act", data={"action": "return"})
    assert missing.status_code in (303, 400)
    ok = agent.post(f"/tickets/{number}/act", data={"action": "return", "reason": "非本单位"})
    assert ok.status_code == 303
    assert number in rows(signin("operator").get("/operator").text, "triage")
    # The department keeps a read-only record of what it sent back; others do not see it.
    returned = agent.get("/department?state=returned").text
    assert number in rows(returned, "returned") and "非本单位" in returned
    other = signin("agent", department=OTHER_DEPT).get("/department?state=returned").text
    assert number not in other


def test_ticket_page_actions_by_role(signin, new_ticket):
    number = new_ticket()
    operator = signin("operator").get(f"/tickets/{number}").text
    assert 'data-action="dispatch"' in operator and 'data-action="answer"' in operator
    assert "13812345678" in operator
    supervisor = signin("supervisor", org_unit="510107").get(f"/tickets/{number}")
    assert supervisor.status_code == 200
    assert "138****5678" in supervisor.text and "13812345678" not in supervisor.text
    assert 'data-action="dispatch"' not in supervisor.text
    other_supervisor = signin("supervisor", org_unit="510104")
    assert other_supervisor.get(f"/tickets/{number}").status_code == 404


def test_stale_and_invalid_actions_do_not_500(signin, new_ticket):
    number = new_ticket()
    client = signin("operator")
    stale = client.post(
        f"/tickets/{number}/act",
        data={"action": "note", "text": "x", "version": "99"},
        headers={"Referer": f"http://localhost/tickets/{number}"},
    )
    assert stale.status_code == 303
    assert "刷新" in client.get(f"/tickets/{number}").text
    assert client.post(f"/tickets/{number}/act", data={"action": "explode"}).status_code == 400
    assert client.post(f"/tickets/{number}/act", data={"action": "sign"}).status_code in (403, 409)
    assert (
        client.post(
            "/tickets/20990101-000001/act", data={"action": "note", "text": "x"}
        ).status_code
        == 404
    )
    bad = client.post(f"/tickets/{number}/act", data={"action": "request_extension", "days": "x"})
    assert bad.status_code in (303, 400)
    assert client.get("/tickets/../../etc").status_code == 404
