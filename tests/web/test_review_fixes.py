"""Review fixes in the consoles: escalation badges, ratings, countdowns, emergencies, actions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hotline.extensions import db
from tests.web.conftest import DEPT


def set_fields(app: Any, number: str, **fields: Any) -> None:
    from hotline.tickets.models import Ticket

    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        db.session.remove()


def status_of(app: Any, number: str) -> str:
    from hotline.tickets.models import Ticket

    with app.app_context():
        status = db.session.execute(db.select(Ticket.status).filter_by(number=number)).scalar_one()
        db.session.remove()
    return status


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


def resolved_ticket(new_ticket: Any, act_as: Any) -> str:
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    act_as(number, action="sign")
    act_as(number, action="resolve", reply="已清理占道摊点。")
    return number


def test_no_rating_is_chosen_in_advance(client, nocsrf, signin, new_ticket, act_as):
    number = resolved_ticket(new_ticket, act_as)
    proof = client.post("/track", data={"number": number, "phone": "13812345678"})
    assert proof.status_code in (302, 303)
    portal = client.get(f"/track/{number}").text
    form = portal.split('id="rate-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="rating"' in form and "checked" not in form
    refused = client.post(f"/track/{number}/rate", data={"comment": "没选"})
    assert refused.status_code != 303
    assert 'id="rate-form"' in client.get(f"/track/{number}").text  # still unrated
    operator = signin("operator")
    follow = operator.get("/operator/follow-up").text
    select = follow.split('<select name="rating"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected disabled>' in select
    assert "selected" not in select.split('value=""', 1)[1].split("</option>", 1)[1]
    page = operator.get(f"/tickets/{number}").text
    rate = page.split('data-action="rate"', 1)[1].split("</form>", 1)[0]
    assert 'name="rating"' in rate and "checked" not in rate


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


def test_emergency_is_answered_not_dispatched(app, signin, new_ticket):
    fire = new_ticket(description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    plain = new_ticket()
    client = signin("operator")
    page = client.get("/operator").text
    fire_row = page.split(f'id="row-{fire}"', 1)[1].split("</tr>", 1)[0]
    plain_row = page.split(f'id="row-{plain}"', 1)[1].split("</tr>", 1)[0]
    assert "一键派单" not in fire_row and 'data-action="emergency"' in fire_row
    assert "已引导拨打" in fire_row and "119" in fire_row
    assert "改派其他单位" in fire_row  # for the rare false positive
    assert "一键派单" in plain_row and "已引导拨打" not in plain_row
    client.post(f"/operator/{fire}/dispatch", data={})  # no one-click dispatch, even by hand
    assert status_of(app, fire) == "received"
    done = client.post(f"/operator/{fire}/emergency", data={})
    assert done.status_code == 303
    assert status_of(app, fire) == "answered"
    ticket = client.get(f"/tickets/{fire}").text
    assert "立即挂机拨打119" in ticket and "本热线不受理紧急警情" in ticket
    assert f'id="row-{fire}"' not in client.get("/operator").text


def test_emergency_false_positive_can_still_be_dispatched_elsewhere(app, signin, new_ticket):
    fire = new_ticket(description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    client = signin("operator")
    ok = client.post(
        f"/operator/{fire}/dispatch",
        data={"department": DEPT, "reason": "市民描述的是三天前的火情，现求助清理楼道"},
    )
    assert ok.status_code == 303
    assert status_of(app, fire) == "dispatched"


def details(page: str) -> dict[str, bool]:
    """The action forms of the ticket page: action -> open by default."""
    found = re.findall(r'<details class="inline-form" data-action="(\w+)" (open)?', page)
    return {action: bool(is_open) for action, is_open in found}


def flashed(client: Any, number: str, data: dict[str, str]) -> str:
    response = client.post(
        f"/tickets/{number}/act",
        data=data,
        headers={"Referer": f"http://localhost/tickets/{number}"},
    )
    assert response.status_code == 303
    return client.get(f"/tickets/{number}").text


def test_ticket_page_offers_what_the_extension_allows(signin, new_ticket, act_as):
    number = new_ticket()
    operator = signin("operator")
    forms = details(operator.get(f"/tickets/{number}").text)
    assert forms["dispatch"] and not any(v for k, v in forms.items() if k != "dispatch")
    act_as(number, action="dispatch", department=DEPT)
    agent = signin("agent", DEPT)
    forms = details(agent.get(f"/tickets/{number}").text)
    assert forms["sign"] and not forms["return"]
    act_as(number, "agent", action="sign")
    supervisor = signin("supervisor", org_unit="5101")
    assert "decide_extension" not in details(supervisor.get(f"/tickets/{number}").text)
    forms = details(agent.get(f"/tickets/{number}").text)
    assert forms["resolve"] and "request_extension" in forms and not forms["request_extension"]
    act_as(number, "agent", action="request_extension", days=2, reason="需联合市场监管")
    page = agent.get(f"/tickets/{number}").text
    assert "request_extension" not in details(page)
    assert "待审批" in page and "()" not in page
    inbox = agent.get("/department?state=accepted").text
    assert "延期申请中" in inbox and inbox.count('data-action="request_extension"') == 0
    assert "decide_extension" in details(supervisor.get(f"/tickets/{number}").text)


def test_refusals_say_the_cores_reason(signin, new_ticket, act_as):
    number = new_ticket()
    operator = signin("operator")
    other = signin("operator")
    page = operator.get(f"/tickets/{number}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    other.post(f"/operator/{number}/dispatch", data={})  # someone else dispatches first
    text = flashed(operator, number, {"action": "dispatch", "version": version})
    assert "已被他人派单" in text
    text = flashed(operator, number, {"action": "note", "text": "x", "version": version})
    assert "工单刚被他人修改" in text
    agent = signin("agent", DEPT)
    act_as(number, "agent", action="sign")
    data = {"action": "request_extension", "days": "2", "reason": "需联合市场监管"}
    assert "待审批" in flashed(agent, number, data)
    assert "已有延期申请待审批" in flashed(agent, number, data)
    supervisor = signin("supervisor", org_unit="5101")
    decide = {"action": "decide_extension", "approve": "true", "reason": "同意"}
    flashed(supervisor, number, decide)
    assert "没有待审批的延期申请" in flashed(supervisor, number, decide)


def test_overdue_durations_follow_the_language(app, signin):
    from datetime import timedelta

    from hotline.timeutil import utcnow
    from tests.stats.fixtures import put

    with app.app_context():
        now = utcnow()
        put("J", now - timedelta(days=3), "510104017001", "510104-urban_management",
            sign_due=now - timedelta(days=1, hours=3, minutes=5), status="dispatched")  # fmt: skip
        db.session.commit()
        db.session.remove()
    sup = signin("supervisor", org_unit="5101")
    zh = sup.get("/supervisor").text
    assert "1天3小时" in zh
    sup.get("/lang/en?next=/supervisor")
    en = sup.get("/supervisor").text
    badge = en.split('class="badge badge-danger">', 1)[1].split("<", 1)[0]
    assert badge == "1d 3h"
    assert "天" not in en and "小时" not in en and "分钟" not in en


def test_status_words_follow_the_domain(signin, new_ticket, act_as):
    from hotline.web.labels import STATUS

    assert {k: str(v) for k, v in STATUS.items()} == {
        "received": "已受理",
        "answered": "直接答复",
        "dispatched": "已派单",
        "accepted": "已签收",
        "returned": "已退单",
        # The reply review's state (issue 16).
        "reviewing": "待审核",
        "resolved": "已办结",
        "closed": "已归档",
        "merged": "已合并",
    }
    number = new_ticket()
    operator = signin("operator")
    assert "已受理" in operator.get(f"/tickets/{number}").text
    operator.get(f"/lang/en?next=/tickets/{number}")
    page = operator.get(f"/tickets/{number}").text
    assert ">Received<" in page


def test_admin_badges_read_active_inactive_and_keys_created(app, signin):
    from hotline.users.models import User
    from tests.conftest import make_user

    make_user(app, "operator", username="gone_user")
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "gone_user").values(active=False))
        db.session.commit()
        db.session.remove()
    admin = signin("admin")
    admin.get("/lang/en?next=/admin")
    users = admin.get("/admin").text
    badges = re.findall(r'<span class="badge badge-(?:ok|muted)">([^<]*)</span>', users)
    assert "Active" in badges and "Inactive" in badges
    assert "Activate" not in badges and "Deactivate" not in badges
    keys = admin.get("/admin/keys").text
    assert "<th>Created</th>" in keys


def test_phone_sized_inputs_leave_checkboxes_and_radios_alone():
    css = (Path(__file__).resolve().parents[2] / "hotline/web/static/hotline.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = [r for r in re.findall(r"([^{}]+)\{([^}]*)\}", css) if "min-height: 46px" in r[1]]
    assert rules
    for selectors, _body in rules:
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.startswith("body.public input"):
                assert ':not([type="checkbox"])' in selector
                assert ':not([type="radio"])' in selector
