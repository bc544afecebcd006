"""In real headless Chromium: an operator sees an auto-dispatched ticket and pulls it back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_walkthrough import CHROMIUM, browser, shot  # noqa: F401 - fixture
from tests.support.plugin import free_port, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("os").path.exists(CHROMIUM), reason="needs Debian's chromium"
    ),
]


@pytest.fixture
def served(lapp: Any) -> Iterator[str]:
    """Serve the learning app on a free port in a thread (CSRF on)."""
    from werkzeug.serving import make_server

    port = free_port()
    httpd = make_server("127.0.0.1", port, lapp, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    thread.join(10)


def test_pull_back_an_auto_dispatched_ticket(lapp, served, browser, file, act, operator, cli):  # noqa: F811
    for i in range(5):
        act(file(f"第{i}次停水"), operator, action="dispatch")
    assert cli("rules", "autodispatch", "enable", "t.water").exit_code == 0
    number = file("小区停水一整天了")
    username = make_user(lapp, "operator")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{served}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("nav.tabs a[href='/operator/auto']")
    row = page.locator(f"#row-{number}")
    assert row.is_visible() and "t.water" in row.inner_text()
    shot(page, "learning-auto-dispatched")
    row.locator("input[name=reason]").fill("市民说地址不对")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/operator/auto" in page.url
    assert page.locator(f"#row-{number} form[data-action=recall]").count() == 0
    ticket = lapp.test_client().get(f"/api/v1/tickets/{number}", headers=operator).json
    assert ticket["status"] == "received" and ticket["events"][-1]["action"] == "recall"
