"""One ticket end to end in real headless Chromium: resident → operator → department →
resident rating → supervisor board, with a screenshot of each console."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.plugin import free_port

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEPT = "510107005-urban_management"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    """Serve the test app on a free port in a thread (CSRF on, as in production)."""
    from werkzeug.serving import make_server

    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    assert app.config.get("WTF_CSRF_ENABLED", True)
    with app.app_context():
        for username, role, dept, unit in (
            ("op1", "operator", None, None),
            ("ag1", "agent", DEPT, None),
            ("sup1", "supervisor", None, "510107"),
        ):
            create_user({"username": username, "password": "pw123456", "role": role,
                         "department": dept, "org_unit": unit, "display_name": f"{role}测试"})  # fmt: skip
        db.session.remove()
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    thread.join(10)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        yield chromium
        chromium.close()


# Console messages of Content-Security-Policy refusals, from every page the tests open.
CSP_VIOLATIONS: list[str] = []


def watch(page: Any) -> Any:
    """Record the page's CSP refusals (an inline script or handler the policy blocked)."""
    page.on(
        "console",
        lambda msg: (
            CSP_VIOLATIONS.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    return page


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Every console page runs under the site's CSP without a refusal."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == []


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(browser: Any, base: str, username: str) -> Any:
    page = watch(browser.new_page(viewport={"width": 1366, "height": 900}))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw123456")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_ticket_walkthrough(server: str, browser: Any) -> None:
    base = server
    # 1. A resident on a phone writes in, choosing the place from the real four-level lists.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    resident = watch(phone.new_page())
    resident.goto(f"{base}/")
    assert resident.locator("html").get_attribute("lang") == "zh-CN"
    width = resident.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the portal scrolls sideways on a phone ({width}px)"
    shot(resident, "01-portal-phone")
    resident.click("label.choice:has-text('投诉')")
    resident.fill(
        "textarea[name=description]", "玉林北路12号门口每天晚上有人占道经营，油烟和噪音很大"
    )
    resident.select_option("#district", "510107")
    resident.wait_for_selector("#township option[value='510107005']", state="attached")
    resident.select_option("#township", "510107005")
    resident.wait_for_selector("#community option[value='510107005001']", state="attached")
    resident.select_option("#community", "510107005001")
    resident.fill("input[name=phone]", "13812345678")
    resident.click("#write-in button[type=submit]")
    number = resident.locator("#ticket-number").inner_text().strip()
    assert re.fullmatch(r"\d{8}-\d{6}", number)
    shot(resident, "02-receipt-phone")

    # 2. The operator sees it in triage with the router's proposal and dispatches in one click.
    operator = sign_in(browser, base, "op1")
    assert operator.url.endswith("/operator")
    row = operator.locator(f"#row-{number}")
    assert "玉林街道综合行政执法队" in row.inner_text()
    row.locator("details summary:has-text('分拨依据')").click()
    shot(operator, "03-operator-triage")
    row.locator("button:has-text('一键派单')").click()
    # Dispatched in place (htmx): the row says so, the page keeps its place.
    operator.locator(f"#row-{number}.row-done").wait_for()
    assert "已派往" in operator.locator(f"#row-{number}").inner_text()

    # 3. The department signs for it and resolves it with a reply.
    agent = sign_in(browser, base, "ag1")
    assert agent.url.endswith("/department")
    row = agent.locator(f"#row-{number}")
    assert row.locator(".countdown").inner_text().startswith("剩余")
    shot(agent, "04-department-inbox")
    row.locator("button:has-text('签收')").click()
    agent.wait_for_load_state("networkidle")
    agent.goto(f"{base}/department?state=accepted")
    row = agent.locator(f"#row-{number}")
    row.locator("summary:has-text('办结')").click()
    row.locator("textarea[name=reply]").fill("已联合玉林街道执法队清理占道摊点，并安排夜间巡查。")
    row.locator("form[data-action=resolve] button[type=submit]").click()
    agent.wait_for_load_state("networkidle")
    agent.goto(f"{base}/tickets/{number}")
    assert "已办结" in agent.locator(".kv").inner_text()
    shot(agent, "05-ticket-page")

    # 4. The resident reads the reply on /track and rates it.
    resident.goto(f"{base}/track/{number}")
    assert "清理占道摊点" in resident.locator("#reply").inner_text()
    resident.click("#rate-form label.choice:has-text('满意') >> nth=0")
    resident.click("#rate-form button[type=submit]")
    resident.wait_for_load_state("networkidle")
    assert "您的评价" in resident.content()
    shot(resident, "06-track-rated-phone")

    # 5. The supervisor's board (whatever it shows now).
    supervisor = sign_in(browser, base, "sup1")
    supervisor.goto(f"{base}/supervisor")
    shot(supervisor, "07-supervisor-board")
    assert supervisor.locator("header.topbar").count() == 1


def test_operator_htmx_helpers(server: str, browser: Any, app: Any, new_ticket: Any) -> None:
    """Knowledge search and merge suggestions load through htmx; 引用 fills the reply."""
    from hotline.core.extensions import db
    from hotline.knowledge.operations import seed_articles

    with app.app_context():
        seed_articles()
        db.session.remove()
    first = new_ticket(description="玉林北路12号门口有人占道经营，每天晚上")
    second = new_ticket(description="玉林北路12号门口有人占道经营摆摊")
    page = sign_in(browser, server, "op1")
    row = page.locator(f"#row-{second}")
    row.locator("summary:has-text('直接答复')").click()
    row.locator("input[name=q]").fill("公积金")
    row.locator(".kb-item:has-text('住房公积金提取')").wait_for()
    row.locator(".kb-item:has-text('住房公积金提取') .kb-use").click()
    assert "12329" in row.locator("textarea[name=reply]").input_value()
    row.locator("summary:has-text('合并重复工单')").click()
    row.locator(f"#dup-{second} a:has-text('{first}')").wait_for()
    shot(page, "08-operator-answer-merge")
    row.locator(f"#dup-{second} button:has-text('合并到此工单')").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#row-{second}").count() == 0


def test_console_pages_need_no_inline_style(server: str, browser: Any, new_ticket: Any) -> None:
    """The pages whose colours and spacing were inline styles run under style-src 'self'."""
    numbers = [new_ticket(phone=f"1381234000{i}") for i in range(1, 4)]
    operator = sign_in(browser, server, "op1")
    for number in numbers:  # hotspots count what was dispatched
        operator.locator(f"#row-{number} button:has-text('一键派单')").click()
        operator.locator(f"#row-{number}.row-done").wait_for()
    for path in ("/operator/auto", "/operator/unsatisfied", "/operator/follow-up"):
        assert operator.goto(f"{server}{path}").status == 200, path
        operator.wait_for_load_state("networkidle")
    supervisor = sign_in(browser, server, "sup1")
    for path in ("/supervisor/rates", "/supervisor/tickets", "/search", "/supervisor/hotspots"):
        assert supervisor.goto(f"{server}{path}").status == 200, path
        supervisor.wait_for_load_state("networkidle")
    # The hotspot cells are shaded by their share of the busiest cell, from a class.
    cells = supervisor.locator("#hotspots td[class*='heat-']")
    assert cells.count() >= 1
    shade = cells.first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert shade.startswith("rgba(180, 35, 24"), shade
    shot(supervisor, "09-hotspots")
    agent = sign_in(browser, server, "ag1")
    agent.goto(f"{server}/department")
    agent.wait_for_load_state("networkidle")
