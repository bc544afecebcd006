"""The centre at work, in real Chromium: search, a caller's history on an incoming call, a
ticket appearing live in a second browser, photos from the portal and from an agent."""

from __future__ import annotations

import dataclasses
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.browser import test_walkthrough as walk
from tests.browser.test_walkthrough import shot, sign_in
from tests.support.images import jpeg_with_gps

pytestmark = walk.pytestmark


def _photo(name: str) -> str:
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(jpeg_with_gps())
    return str(path)


def test_search_by_two_characters_and_last_four_digits(server: str, browser: Any, new_ticket):
    noise = new_ticket(description="楼下广场舞噪音很大", phone="13900005678")
    water = new_ticket(description="小区停水没有通知", phone="13800001111")
    page = sign_in(browser, server, "op1")
    page.fill("#search-q", "噪音")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(f"#row-{noise}").count() == 1
    assert page.locator(f"#row-{water}").count() == 0
    page.fill("#search-q", "1111")
    page.click("#search-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#row-{water}").count() == 1
    assert page.locator(f"#row-{noise}").count() == 0
    shot(page, "20-search-last-four")


def test_ticket_appears_live_and_call_shows_history(
    server: str, browser: Any, app: Any, new_ticket
):
    earlier = new_ticket(description="夜市摊贩占道经营第一次反映", phone="13912345678")
    operator = sign_in(browser, server, "op1")
    title = operator.title()
    operator.wait_for_timeout(1200)  # the console has polled at least once
    # A resident writes in from another browser: the operator's open page shows it, no reload.
    resident = browser.new_context().new_page()
    resident.goto(f"{server}/")
    resident.click("label.choice:has-text('投诉')")
    resident.fill("textarea[name=description]", "玉林北路夜市又有人占道经营")
    resident.fill("input[name=phone]", "13812349999")
    resident.click("#write-in button[type=submit]")
    number = resident.locator("#ticket-number").inner_text().strip()
    started = time.monotonic()
    operator.locator(f"#row-{number}").wait_for(timeout=5000)
    assert time.monotonic() - started < 2.5, "the new ticket took too long to appear"
    assert operator.title().startswith("(1) ") and title in operator.title()
    shot(operator, "21-operator-live-new-ticket")

    # A call comes in (Twilio's voice webhook): the caller's earlier tickets show at once.
    original = app.config["HOTLINE"]
    app.config["HOTLINE"] = dataclasses.replace(original, twilio_dev_mode=True,
                                                twilio_auth_token=None)  # fmt: skip
    try:
        body = urllib.parse.urlencode({"CallSid": "CA" + "7" * 32, "From": "+8613912345678"})
        with urllib.request.urlopen(f"{server}/twilio/voice", body.encode(), timeout=10) as r:
            assert r.status == 200
    finally:
        app.config["HOTLINE"] = original
    panel = operator.locator("#calls [data-call]")
    panel.wait_for(timeout=5000)
    assert "13912345678" in panel.inner_text()
    panel.locator(f"li[data-number='{earlier}']").wait_for()
    shot(operator, "22-operator-incoming-call-history")


def test_photos_reach_the_right_people_only(server: str, browser: Any, app: Any):
    # A resident writes in with a photo.
    resident = browser.new_context().new_page()
    resident.goto(f"{server}/")
    resident.click("label.choice:has-text('投诉')")
    resident.fill("textarea[name=description]", "玉林北路12号门口垃圾堆积，见照片")
    resident.select_option("#district", "510107")
    resident.wait_for_selector("#township option[value='510107005']", state="attached")
    resident.select_option("#township", "510107005")
    resident.wait_for_selector("#community option[value='510107005001']", state="attached")
    resident.select_option("#community", "510107005001")
    resident.fill("input[name=phone]", "13812345678")
    resident.set_input_files("input[name=attachments]", _photo("rubbish.jpg"))
    resident.click("#write-in button[type=submit]")
    number = resident.locator("#ticket-number").inner_text().strip()

    # The operator sees it on the ticket page and dispatches to the street's team.
    operator = sign_in(browser, server, "op1")
    operator.goto(f"{server}/tickets/{number}")
    image = operator.locator("#files img").first
    image.wait_for()
    assert operator.evaluate("img => img.naturalWidth", image.element_handle()) == 64
    operator.locator("form[data-action=dispatch] button[type=submit]").click()
    operator.wait_for_load_state("networkidle")

    # The agent signs, then resolves with a photo of the result.
    agent = sign_in(browser, server, "ag1")
    agent.goto(f"{server}/tickets/{number}")
    agent.locator("form[data-action=sign] button[type=submit]").click()
    agent.wait_for_load_state("networkidle")
    form = agent.locator("form[data-action=resolve]")
    form.locator("textarea[name=reply]").fill("已清运垃圾，见办结照片")
    form.locator("input[name=attachments]").set_input_files(_photo("cleaned.jpg"))
    form.locator("button[type=submit]").click()
    agent.wait_for_load_state("networkidle")
    assert agent.locator("#files img").count() == 2
    urls = [a.get_attribute("href") for a in agent.locator("#files li a").all()]
    shot(agent, "23-agent-ticket-photos")

    # The resident sees both (their own and the result) on /track.
    resident.goto(f"{server}/track/{number}")
    resident.locator("#files img").nth(1).wait_for()
    assert "cleaned.jpg" in resident.locator("#files").inner_text()
    shot(resident, "24-track-photos")

    # Nobody else: a stranger's browser, and an agent of another department.
    stranger = browser.new_context().new_page()
    for url in urls:
        assert stranger.goto(f"{server}{url}").status == 401
    track_url = resident.locator("#files li a").first.get_attribute("href")
    assert stranger.goto(f"{server}{track_url}").status == 404
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "ag2", "password": "pw123456", "role": "agent",
                     "department": "510104-urban_management", "display_name": "其他部门"})  # fmt: skip
        db.session.remove()
    other = sign_in(browser, server, "ag2")
    for url in urls:
        assert other.goto(f"{server}{url}").status == 404
