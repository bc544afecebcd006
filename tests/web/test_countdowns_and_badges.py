"""Countdowns turn yellow at 80% of the limit from the clock start; badges name the level."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hotline.core.extensions import db
from tests.support.plugin import DEPT
from tests.support.web import set_fields


def test_escalation_badge_names_the_supervising_level(app, signin, new_ticket, act_as):
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    set_fields(app, number, escalation_level="city")
    client = signin("agent", DEPT)
    page = client.get(f"/tickets/{number}").text
    assert "督办：市级" in page
    assert ">city<" not in page
    inbox = client.get("/department?state=dispatched").text
    assert "督办：市级" in inbox and ">city<" not in inbox
    set_fields(app, number, escalation_level="district")
    assert "督办：区（市）县级" in client.get(f"/tickets/{number}").text


COUNTDOWN_JS = Path(__file__).resolve().parents[2] / "hotline/web/static/countdown.js"
# A stand-in DOM for countdown.js: one element per case, the clock fixed at NOW.
NODE_HARNESS = """
const fs = require("fs");
const cases = JSON.parse(process.argv[1]);
const listeners = {};
const els = cases.map((c) => ({
  attrs: c, classes: new Set(), textContent: "",
  getAttribute(name) { return this.attrs[name.replace("data-", "")] ?? null; },
  classList: {
    add(...n) { n.forEach((x) => this.owner.classes.add(x)); },
    remove(...n) { n.forEach((x) => this.owner.classes.delete(x)); },
  },
}));
els.forEach((e) => { e.classList.owner = e; });
global.document = {
  documentElement: { lang: "zh-CN" },
  querySelectorAll: () => els,
  addEventListener: (name, fn) => { listeners[name] = fn; },
};
global.setInterval = () => 0;
Date.now = () => Date.parse("2026-11-27T10:00:00+08:00");
eval(fs.readFileSync(process.argv[2], "utf8"));
listeners.DOMContentLoaded();
console.log(JSON.stringify(els.map((e) => [...e.classes])));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run countdown.js")
def test_countdown_turns_yellow_at_80_percent_of_the_limit():
    cases = [
        # 10 h limit, 9 h gone (90%): yellow although 1 h is left
        {"start": "2026-11-27T01:00:00+08:00", "due": "2026-11-27T11:00:00+08:00", "ratio": "0.8"},
        # 5 days limit, 1 day left (80% gone): yellow though more than 4 h remain
        {"start": "2026-11-23T10:00:00+08:00", "due": "2026-11-28T10:00:00+08:00", "ratio": "0.8"},
        # 30 min limit, 10 min gone: green though well under 4 h remain
        {"start": "2026-11-27T09:50:00+08:00", "due": "2026-11-27T10:20:00+08:00", "ratio": "0.8"},
        # past the limit: red
        {"start": "2026-11-26T09:00:00+08:00", "due": "2026-11-27T09:59:00+08:00", "ratio": "0.8"},
    ]
    out = subprocess.run(
        ["node", "-e", NODE_HARNESS, json.dumps(cases), str(COUNTDOWN_JS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [["badge-warn"], ["badge-warn"], ["badge-ok"], ["badge-danger"]]


def test_countdowns_carry_the_clock_start(app, signin, new_ticket, act_as):
    from hotline.tickets.models import Ticket
    from hotline.web.i18n import isotime

    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    client = signin("agent", DEPT)
    inbox = client.get("/department?state=dispatched").text
    assert "4小时" not in inbox and "时限已过80%" in inbox
    with app.test_request_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        dispatched = isotime(ticket.dispatched_at)
    assert f'data-start="{dispatched}"' in inbox and 'data-ratio="0.8"' in inbox
    assert f'data-start="{dispatched}"' in client.get(f"/tickets/{number}").text
    act_as(number, "agent", action="sign")
    with app.test_request_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        signed = isotime(ticket.signed_at)
    assert f'data-start="{signed}"' in client.get("/department?state=accepted").text
    assert f'data-start="{signed}"' in client.get(f"/tickets/{number}").text
