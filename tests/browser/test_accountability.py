"""Accountability in figures in real Chromium: the ranking, the report download, a warning
acknowledged and taken on as a topic with a task."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hotline.assessment.operations import previous_month
from tests.assessment.test_assessment import build, scheme  # noqa: F401  (fixture)
from tests.browser.test_walkthrough import pytestmark, shot, sign_in  # noqa: F401
from tests.early_warning.test_surges import _run_job, _tickets
from tests.support.stats import today


@pytest.mark.usefixtures("scheme")
def test_supervisor_ranks_downloads_and_takes_a_warning_on(
    app: Any, server: str, browser: Any, tmp_path: Any
) -> None:
    month = previous_month(f"{today():%Y-%m}")
    build(app, month)
    _tickets(app, 12, timedelta(minutes=30))
    _run_job(app)
    page = sign_in(browser, server, "sup1")
    page.click("text=考核排名")
    page.select_option("select[name=level]", "district")
    page.fill("input[name=month]", month)
    page.click("form.toolbar button[type=submit]")
    rows = page.locator("#assessment tbody tr")
    assert rows.count() == 1 and "武侯区" in rows.first.inner_text()
    shot(page, "supervisor-assessment")
    with page.expect_download() as download:
        page.click("#report-pdf")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF") and month in saved.name
    page.click("text=预警")
    assert "玉林街道" in page.locator("#warnings").inner_text()
    page.click("#warnings button:has-text('确认')")
    assert "已确认" in page.locator("#warnings").inner_text()
    page.click("#warnings a:has-text('立项')")
    page.fill("#open-topic input[name=title]", "玉林街道反复停水")
    page.click("#open-topic button[type=submit]")
    assert "关联工单（12）" in page.content()
    page.fill("#add-task input[name=title]", "排查老旧管网")
    page.fill("#add-task .dept-search", "武侯 水务")
    page.wait_for_function("document.querySelectorAll('#add-task .dept-select option').length > 1")
    page.select_option("#add-task .dept-select", index=1)
    page.fill("#add-task input[name=due]", "2026-12-31")
    page.click("#add-task button[type=submit]")
    assert "排查老旧管网" in page.locator("#tasks").inner_text()
    shot(page, "supervisor-topic")
