"""The consoles of the workflow: review queue, assisting tab, request figures, pauses."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support.plugin import make_user
from tests.workflow.helpers import ASSIST, LEAD, act, get


def signed_in(app, role, **kw):
    username = make_user(app, role, **kw)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": "secret123"})
    assert response.status_code in (302, 303)
    return client


def test_review_queue_rules_on_a_request(app, client, new_ticket, staff, nocsrf):
    number = new_ticket()
    act(client, number, staff("operator"), action="dispatch", department=LEAD)
    act(client, number, staff("agent", department=LEAD), action="return", reason="非本单位职责")
    assert signed_in(app, "operator").get("/review").status_code == 403
    reviewer = signed_in(app, "operator", reviewer=True)
    assert 'href="/review"' in reviewer.get("/operator").text
    page = reviewer.get("/review").text
    section = page.split('id="requests"', 1)[1].split("</section>", 1)[0]
    assert number in section and "非本单位职责" in section
    form = {"action": "review_request", "approve": "false", "reason": "属本单位", "next": "/review"}
    assert reviewer.post(f"/tickets/{number}/act", data=form).status_code == 303
    assert number not in reviewer.get("/review").text.split('id="requests"', 1)[1]
    assert get(client, number, staff("operator"))["events"][-1]["data"]["reason"] == "属本单位"


def test_reply_review_and_pause_in_the_queue(
    app, client, new_ticket, staff, nocsrf, review_replies
):
    number = new_ticket()
    act(client, number, staff("operator"), action="dispatch", department=LEAD)
    agent = staff("agent", department=LEAD)
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已处理完毕")
    supervisor = signed_in(app, "supervisor", org_unit="510107")
    page = supervisor.get("/review").text
    assert number in page.split('id="replies"', 1)[1] and "有办理依据" in page
    form = {"action": "review_reply", "approve": "false", "reason": "缺少联系人", "checklist": "1",
            "checklist_answer": "1", "next": "/review"}  # fmt: skip
    assert supervisor.post(f"/tickets/{number}/act", data=form).status_code == 303
    view = get(client, number, agent)
    assert view["status"] == "accepted"
    assert view["events"][-1]["data"]["checklist"] == {
        "answer": True, "basis": False, "result": False, "contact": False,
    }  # fmt: skip
    until = str(date.today() + timedelta(days=6))
    act(client, number, agent, action="request_pause", reason="waiting_resident", until=until)
    page = supervisor.get("/review").text
    assert number in page.split('id="pauses"', 1)[1] and "等待市民" in page
    form = {"action": "decide_pause", "approve": "true", "next": "/review"}
    assert supervisor.post(f"/tickets/{number}/act", data=form).status_code == 303
    assert number in supervisor.get("/review").text.split('id="paused"', 1)[1]
    assert "计时暂停" in supervisor.get("/supervisor").text


def test_assisting_tab_and_request_figures(app, client, new_ticket, staff, nocsrf):
    number = new_ticket()
    operator = staff("operator")
    act(client, number, operator, action="dispatch", department=LEAD, assisting=[ASSIST])
    helper = signed_in(app, "agent", department=ASSIST)
    tab = helper.get("/department?state=assisting").text
    assert number in tab and 'data-part-status="dispatched"' in tab
    assert number not in helper.get("/department?state=dispatched").text.split('id="inbox"')[-1]
    assert helper.post(f"/tickets/{number}/act", data={"action": "sign"}).status_code == 303
    data = {"action": "contribute", "text": "社区已配合"}
    assert helper.post(f"/tickets/{number}/act", data=data).status_code == 303
    assert "社区已配合" in signed_in(app, "agent", department=LEAD).get(f"/tickets/{number}").text
    act(client, number, staff("agent", department=LEAD), action="return", reason="不归我们")
    supervisor = signed_in(app, "supervisor", org_unit="510107")
    page = supervisor.get("/supervisor/requests").text
    row = page.split(f'data-department="{LEAD}"', 1)[1].split("</tr>", 1)[0]
    cells = [c.strip() for c in row.split("<td>")[2:]]
    assert [c.removesuffix("</td>") for c in cells] == ["1", "1", "0", "0", "0", "1"]


def test_admin_gives_the_reviewer_permission(app, nocsrf):
    from sqlalchemy import select

    from hotline.core.extensions import db
    from hotline.users.models import User

    admin = signed_in(app, "admin")
    form = {"username": "rev_admin", "password": "secret123", "role": "operator", "reviewer": "1"}
    assert admin.post("/admin/users", data=form).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.reviewer).where(User.username == "rev_admin"))
        db.session.remove()
    assert "审核" in admin.get("/admin").text
