"""What people see, in Chromium: timeline outcomes, list badges, phone layouts."""

from __future__ import annotations

from typing import Any

from tests.browser.test_walkthrough import (  # noqa: F401  (fixtures)
    DEPT,
    browser,
    pytestmark,
    server,
    shot,
    sign_in,
)

PHONE = "13812345678"


def _act(client: Any, number: str, headers: dict, **body: Any) -> dict:
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_timeline_says_outcomes_and_unmarking_is_unmarking(
    server,  # noqa: F811
    browser,  # noqa: F811
    client,
    new_ticket,
    staff,
) -> None:
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    supervisor = staff("supervisor", org_unit="510107")
    number = new_ticket(urgent=True)
    page = sign_in(browser, server, "op1")
    row = page.locator(f"#row-{number}")
    row.locator("button:has-text('取消紧急')").click()
    page.wait_for_load_state("networkidle")
    # The queue answers in place: the row itself says what was done.
    page.wait_for_selector("text=取消紧急 已完成")
    assert "取消紧急 已完成" in page.inner_text("body")
    _act(client, number, operator, action="dispatch", department=DEPT)
    _act(client, number, agent, action="sign")
    _act(client, number, agent, action="request_extension", days=3, reason="需协调")
    _act(client, number, supervisor, action="decide_extension", approve=True)
    _act(client, number, supervisor, action="urge", text="群众反映强烈，请今天回复")
    page.goto(f"{server}/tickets/{number}")
    timeline = page.locator(".timeline").inner_text()
    assert "取消紧急" in timeline and "已取消紧急标记" in timeline
    assert "申请延期 3 个工作日" in timeline
    assert "批准" in timeline and "新办结时限" in timeline
    assert "群众反映强烈，请今天回复" in timeline
    shot(page, "12-ticket-timeline-outcomes")


def test_inbox_shows_urges_and_reopen_with_the_residents_words(
    server,  # noqa: F811
    browser,  # noqa: F811
    client,
    new_ticket,
    staff,
) -> None:
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    supervisor = staff("supervisor", org_unit="510107")
    number = new_ticket()
    _act(client, number, operator, action="dispatch", department=DEPT)
    _act(client, number, agent, action="sign")
    _act(client, number, agent, action="resolve", reply="已清理")
    client.post(f"/api/v1/track/{number}/rate", json={
        "phone": PHONE, "rating": "unsatisfied", "comment": "晚上又来摆摊了", "reopen": True})  # fmt: skip
    for _ in range(2):
        _act(client, number, supervisor, action="urge")
    page = sign_in(browser, server, "ag1")
    row = page.locator(f"#row-{number}")
    assert "催办 2 次" in row.locator(".mark-urges").inner_text()
    assert row.locator(".mark-reopened").count() == 1
    assert "晚上又来摆摊了" in row.locator(".resident-comment").inner_text()
    shot(page, "13-agent-inbox-marks")


def test_phone_layouts(server, browser, client, new_ticket, staff) -> None:  # noqa: F811
    operator = staff("operator")
    number = new_ticket(description="玉林北路12号门口每天晚上有人占道经营，油烟和噪音很大，" * 3)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "op1")
    page.fill("input[name=password]", "pw123456")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#row-{number}")
    matter = row.locator(".clip").first.bounding_box()
    assert matter is not None and matter["width"] >= 300, matter
    button = row.locator("button:has-text('一键派单')").bounding_box()
    assert button is not None and button["x"] >= 0 and button["x"] + button["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "14-operator-queue-phone")
    _act(client, number, operator, action="dispatch", department=DEPT)
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "ag1")
    page.fill("input[name=password]", "pw123456")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{server}/tickets/{number}")
    actions = page.locator("aside").first.bounding_box()
    timeline = page.locator(".timeline").bounding_box()
    assert actions is not None and timeline is not None and actions["y"] < timeline["y"]
    shot(page, "15-agent-ticket-phone")


def test_web_emergency_and_admin_form_read_in_chinese(server, browser, app) -> None:  # noqa: F811
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "adm1", "password": "pw123456", "role": "admin"})
    resident = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = resident.new_page()
    page.goto(f"{server}/")
    page.click("label.choice:has-text('求助')")
    page.fill("textarea[name=description]", "小区3栋楼道着火了，浓烟很大，有人被困")
    page.fill("input[name=phone]", "13812345678")
    page.click("#write-in button[type=submit]")
    notice = page.locator(".notice-emergency").inner_text()
    assert "立即拨打" in notice and "挂机" not in notice and "122" in notice
    assert "110 / 119 / 120 / 122" in page.locator("footer").inner_text()
    admin = sign_in(browser, server, "adm1")
    admin.goto(f"{server}/admin")
    form = admin.locator("#new-user")
    form.locator("input[name=username]").fill("op1")
    form.locator("input[name=display_name]").fill("重复的人")
    form.locator("input[name=password]").fill("s3cret-pass")
    form.locator("select[name=role]").select_option("agent")
    form.locator(".dept-search").fill("玉林 执法")
    form.locator(f".dept-select option[value='{DEPT}']").wait_for(state="attached")
    form.locator(".dept-select").select_option(DEPT)
    form.locator("button[type=submit]").click()
    admin.wait_for_load_state("networkidle")
    assert "用户名 op1 已被使用" in admin.locator("#new-user").inner_text()
    assert admin.locator("#new-user input[name=display_name]").input_value() == "重复的人"
    shot(admin, "16-admin-duplicate-username")
