"""回访 in Chromium: the call worklist, the unsatisfied worklist, a merged resident's /track."""

from __future__ import annotations

from typing import Any

from tests.browser.test_walkthrough import (  # noqa: F401  (fixtures)
    CHROMIUM,
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


def _resolved(client: Any, new_ticket: Any, operator: dict, agent: dict, **fields: Any) -> str:
    number = new_ticket(**fields)
    _act(client, number, operator, action="dispatch", department=DEPT)
    _act(client, number, agent, action="sign")
    _act(client, number, agent, action="resolve", reply="已清理占道摊点")
    return number


def test_followup_calls_and_unsatisfied(server, browser, client, new_ticket, staff) -> None:  # noqa: F811
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    called = _resolved(client, new_ticket, operator, agent)
    answered = new_ticket(type="consultation", description="请问社保卡怎么补办")
    _act(client, answered, operator, action="answer", reply="请到社保大厅补办")
    rated = client.post(
        f"/api/v1/track/{answered}/rate",
        json={"phone": PHONE, "rating": "unsatisfied", "comment": "社保大厅说不在那里办"},
    )
    assert rated.status_code == 200
    page = sign_in(browser, server, "op1")
    page.goto(f"{server}/operator/follow-up")
    for attempt in (1, 2, 3):
        row = page.locator(f"#row-{called}")
        assert f"未接通 {attempt - 1}/3 次" in row.inner_text()
        row.locator("button:has-text('未接通')").click()
        page.wait_for_load_state("networkidle")
    assert page.locator(f"#row-{called}").count() == 0
    page.goto(f"{server}/tickets/{called}")
    assert "已归档" in page.locator(".kv").inner_text()
    assert "未接通" in page.locator(".timeline").inner_text()
    # The unsatisfied answer waits with the resident's words; 重新受理 puts it back in triage.
    page.goto(f"{server}/operator/unsatisfied")
    row = page.locator(f"#row-{answered}")
    assert "社保大厅说不在那里办" in row.locator(".resident-comment").inner_text()
    shot(page, "10-operator-unsatisfied")
    row.locator("button:has-text('重新受理')").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/operator")
    assert "社保大厅说不在那里办" in page.locator(f"#row-{answered}").inner_text()


def test_merged_resident_reads_and_rates_the_main_result(
    server,  # noqa: F811
    browser,  # noqa: F811
    client,
    new_ticket,
    staff,
) -> None:
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    main = new_ticket()
    second = new_ticket(phone="13900001111")
    _act(client, second, operator, action="merge", into=main)
    _act(client, main, operator, action="dispatch", department=DEPT)
    _act(client, main, agent, action="sign")
    _act(client, main, agent, action="resolve", reply="已联合执法队清理占道摊点")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/track?number={second}")
    page.fill("input[name=phone]", "13900001111")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已办结" in page.locator("#status").inner_text()
    assert main in page.locator("#merged-note").inner_text()
    assert "清理占道摊点" in page.locator("#reply").inner_text()
    page.click("#rate-form label.choice:has-text('基本满意')")
    page.click("#rate-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "基本满意" in page.content()
    shot(page, "11-track-merged-phone")
