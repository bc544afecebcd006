"""The accountability workflow in real headless Chromium (issue 16): a joint ticket, a refused
return, a reply sent back, a paused clock, a confidential resident."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hotline.core.extensions import db
from tests.browser import test_walkthrough as walk
from tests.support.plugin import set_reply_review

DEPT, shot = walk.DEPT, walk.shot
# The walkthrough's fixtures: the app served in a thread, one Chromium per test.
server, browser = walk.server, walk.browser

ASSIST = "510107005-general"
PASSWORD = "pw123456"
pytestmark = walk.pytestmark


def account(app: Any, username: str, role: str, **fields: Any) -> str:
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": username, "password": PASSWORD, "role": role,
                     "display_name": f"{username}测试", **fields})  # fmt: skip
        db.session.remove()
    return username


def sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def submit(scope: Any, action: str) -> None:
    scope.locator(f"form[data-action={action}] button[type=submit]").first.click()
    # Inbox forms answer in place (htmx), others redirect: both say the action is done.
    scope.page.locator("text=已完成").first.wait_for()
    scope.page.wait_for_load_state("networkidle")


def dispatched(client: Any, staff: Any, new_ticket: Any, **fields: Any) -> str:
    number = new_ticket(**fields)
    body = {"action": "dispatch", "department": DEPT}
    client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=staff("operator"))
    return number


def test_joint_ticket_from_dispatch_to_rating(server: str, browser: Any, app: Any, new_ticket):
    account(app, "helper", "agent", department=ASSIST)
    number = new_ticket()
    operator = sign_in(browser, server, "op1")
    operator.goto(f"{server}/tickets/{number}")
    form = operator.locator("details[data-action=dispatch]")
    form.locator("input[name=assisting]").fill(ASSIST)
    submit(form, "dispatch")
    assert "玉林街道" in operator.locator("ul.parts").inner_text()
    # The assisting department signs for its part and contributes from its own tab.
    helper = sign_in(browser, server, "helper")
    helper.goto(f"{server}/department?state=assisting")
    submit(helper.locator(f"#row-{number}"), "sign")
    helper.goto(f"{server}/department?state=assisting")
    row = helper.locator(f"#row-{number}")
    row.locator("form[data-action=contribute] textarea[name=text]").fill("社区网格员已劝离摊贩")
    submit(row, "contribute")
    shot(helper, "20-assisting-tab")
    # The lead signs, sees the contribution and replies once.
    lead = sign_in(browser, server, "ag1")
    submit(lead.locator(f"#row-{number}"), "sign")
    lead.goto(f"{server}/tickets/{number}")
    assert "社区网格员已劝离摊贩" in lead.locator("ul.parts").inner_text()
    lead.locator("details[data-action=resolve] textarea[name=reply]").fill("已联合社区清理占道摊点")
    submit(lead.locator("details[data-action=resolve]"), "resolve")
    assert "已办结" in lead.locator(".kv").inner_text()
    shot(lead, "21-joint-ticket")
    resident = browser.new_page()
    resident.goto(f"{server}/track")
    resident.fill("input[name=number]", number)
    resident.fill("input[name=phone]", "13812345678")
    resident.click("main button[type=submit]")
    resident.wait_for_load_state("networkidle")
    assert "已联合社区清理占道摊点" in resident.locator("#reply").inner_text()
    resident.click("#rate-form label.choice:has-text('满意') >> nth=0")
    resident.click("#rate-form button[type=submit]")
    resident.wait_for_load_state("networkidle")
    assert "您的评价" in resident.content()


def test_refused_return(server: str, browser: Any, app: Any, client, staff, new_ticket):
    account(app, "rev1", "operator", reviewer=True)
    number = dispatched(client, staff, new_ticket)
    agent = sign_in(browser, server, "ag1")
    row = agent.locator(f"#row-{number}")
    row.locator("summary:has-text('退回')").click()
    row.locator("form[data-action=return] textarea[name=reason]").fill("属区级城管职责")
    submit(row, "return")
    # The inbox answers in place; a reload shows the request waiting for the centre.
    agent.goto(f"{server}/department")
    assert "退回/转办审核中" in agent.locator(f"#row-{number}").inner_text()
    reviewer = sign_in(browser, server, "rev1")
    reviewer.goto(f"{server}/review")
    row = reviewer.locator(f"#requests #row-{number}")
    assert "属区级城管职责" in row.inner_text()
    row.locator("label.choice:has-text('不同意')").click()
    row.locator("textarea[name=reason]").fill("占道经营属街道执法队职责")
    submit(row, "review_request")
    shot(reviewer, "22-review-queue")
    agent.goto(f"{server}/department?state=dispatched")
    assert agent.locator(f"#row-{number}").count() == 1
    agent.goto(f"{server}/tickets/{number}")
    assert "占道经营属街道执法队职责" in agent.locator(".timeline").inner_text()


def test_reply_sent_back(server: str, browser: Any, app: Any, client, staff, new_ticket):
    account(app, "rev2", "operator", reviewer=True)
    number = dispatched(client, staff, new_ticket)
    old = set_reply_review(app, "all")
    try:
        agent = sign_in(browser, server, "ag1")
        submit(agent.locator(f"#row-{number}"), "sign")
        agent.goto(f"{server}/tickets/{number}")
        agent.locator("details[data-action=resolve] textarea[name=reply]").fill("已处理")
        submit(agent.locator("details[data-action=resolve]"), "resolve")
        assert "待审核" in agent.locator(".kv").inner_text()
        reviewer = sign_in(browser, server, "rev2")
        reviewer.goto(f"{server}/review")
        row = reviewer.locator(f"#replies #row-{number}")
        row.locator("label.choice:has-text('答复了诉求所问')").click()
        row.locator("label.choice:has-text('退回修改')").click()
        row.locator("textarea[name=reason]").fill("缺少办理依据和联系人")
        submit(row, "review_reply")
        agent.goto(f"{server}/department?state=accepted")
        assert agent.locator(f"#row-{number}").count() == 1
        agent.goto(f"{server}/tickets/{number}")
        assert "缺少办理依据和联系人" in agent.locator(".timeline").inner_text()
        shot(agent, "23-reply-sent-back")
    finally:
        set_reply_review(app, old)


def test_paused_clock_does_not_escalate(
    server: str, browser: Any, app: Any, client, staff, new_ticket
):
    from hotline.sla import operations as sla
    from tests.support.sla import ticket

    number = dispatched(client, staff, new_ticket)
    agent = sign_in(browser, server, "ag1")
    agent.goto(f"{server}/tickets/{number}")
    form = agent.locator("details[data-action=request_pause]")
    form.locator("summary").click()
    form.locator("select[name=reason]").select_option("waiting_authority")
    until = date.today() + timedelta(days=12)
    form.locator("input[name=until]").fill(until.isoformat())
    submit(form, "request_pause")
    supervisor = sign_in(browser, server, "sup1")
    supervisor.goto(f"{server}/review")
    row = supervisor.locator(f"#pauses #row-{number}")
    row.locator("label.choice:has-text('同意') >> nth=0").click()
    submit(row, "decide_pause")
    with app.app_context():
        due = ticket(number).sign_due
        assert sla.sweep(due + timedelta(days=5))["acts"] == []
        db.session.remove()
    agent.goto(f"{server}/tickets/{number}")
    facts = agent.locator(".kv").inner_text()
    assert "计时暂停至" in facts and "督办" not in facts
    shot(agent, "24-paused")


def test_confidential_ticket_seen_by_an_agent(server: str, browser: Any, app: Any):
    resident = browser.new_page()
    resident.goto(f"{server}/")
    resident.click("label.choice:has-text('投诉')")
    resident.fill("textarea[name=description]", "我是3栋502的李秀英，楼下烧烤店油烟扰民")
    resident.fill("input[name=phone]", "13812345678")
    resident.fill("input[name=name]", "李秀英")
    resident.check("input[name=confidential]")
    resident.click("#write-in button[type=submit]")
    number = resident.locator("#ticket-number").inner_text().strip()
    operator = sign_in(browser, server, "op1")
    operator.goto(f"{server}/tickets/{number}")
    assert "李秀英" in operator.locator(".kv").inner_text()
    form = operator.locator("details[data-action=hide_text]")
    form.locator("summary").click()
    form.locator("textarea[name=text]").fill("3栋502")
    submit(form, "hide_text")
    form = operator.locator("details[data-action=dispatch]")
    form.locator("input.dept-search").fill("玉林 执法")
    form.locator(f"select[name=department] option[value='{DEPT}']").wait_for(state="attached")
    form.locator("select[name=department]").select_option(DEPT)
    submit(form, "dispatch")
    agent = sign_in(browser, server, "ag1")
    for path in ("/department?state=dispatched", f"/tickets/{number}"):
        agent.goto(f"{server}{path}")
        text = agent.content()
        assert (
            number in text and "李秀英" not in text and "5678" not in text and "3栋502" not in text
        )
    assert "保密" in agent.locator(".kv").inner_text()
    shot(agent, "25-confidential")
