"""Defects found acting out a day: CSV words, areas by place, hotspots, wording, admin forms."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from tests.support.stats import put
from tests.support.web import signed_in

DISTRICT_URBAN = "510107-urban_management"
YULIN = "510107005"


def overdue_at_district(app):
    """Two tickets that happened in 玉林街道, overdue at a district department."""
    with app.app_context():
        now = utcnow()
        put("Y1", now - timedelta(days=3), "510107005001", DISTRICT_URBAN,
            sign_due=now - timedelta(hours=5), status="dispatched", address="玉林北路12号")  # fmt: skip
        put("Y2", now - timedelta(days=3), YULIN, DISTRICT_URBAN, signed_at=now - timedelta(days=2),
            resolve_due=now - timedelta(hours=2), status="accepted")  # fmt: skip
        put("Y3", now - timedelta(days=3), "510107005001", "510107-housing",
            sign_due=now - timedelta(hours=5), status="dispatched")  # fmt: skip
        db.session.commit()


def test_overdue_csv_speaks_words_and_carries_the_matter(app, staff, client):
    overdue_at_district(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    rows = list(
        csv.reader(io.StringIO(sup.get("/supervisor/overdue.csv").data.decode("utf-8-sig")))
    )
    header, first = rows[0], {r[0]: r for r in rows[1:]}["Y1"]
    record = dict(zip(header, first, strict=True))
    assert record["类型"] == "投诉" and record["职能"] == "城市管理"
    assert record["层级"] == "区（市）县级" and record["环节"] == "签收"
    assert record["反映事项"] and record["地址"] == "玉林北路12号"
    sup.set_cookie("hotline_lang", "en")
    rows = list(
        csv.reader(io.StringIO(sup.get("/supervisor/overdue.csv").data.decode("utf-8-sig")))
    )
    record = dict(zip(rows[0], {r[0]: r for r in rows[1:]}["Y1"], strict=True))
    assert record["Type"] == "Complaint" and record["Step"] == "Sign for"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(rows[0]))


def test_area_filter_selects_by_where_it_happened(app, staff, client):
    overdue_at_district(app)
    supervisor = staff("supervisor", org_unit="510107")
    listed = client.get(f"/api/v1/overdue?org_unit={YULIN}", headers=supervisor).json["items"]
    assert sorted(i["number"] for i in listed) == ["Y1", "Y2", "Y3"]
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    page = sup.get(f"/supervisor?org_unit={YULIN}").get_data(as_text=True)
    assert ">Y1<" in page and ">Y2<" in page
    # The function filter narrows the department choices to that function.
    page = sup.get("/supervisor?function=housing").get_data(as_text=True)
    options = page.split('name="department"')[1].split("</select>")[0]
    assert "510107-housing" in options and DISTRICT_URBAN not in options


def test_hotspots_count_tickets_placed_at_a_street(app, staff):
    with app.app_context():
        now = utcnow()
        for i in range(3):
            put(f"S{i}", now - timedelta(hours=5), YULIN, DISTRICT_URBAN, status="accepted")
        put("C1", now - timedelta(hours=5), "510107005001", DISTRICT_URBAN, status="accepted")
        db.session.commit()
    from hotline.core.actors import Actor
    from hotline.stats import operations as ops
    from hotline.stats.window import window

    with app.app_context():
        spots = ops.hotspots(Actor(1, "op", "operator"), "510107", window("Asia/Shanghai"))
    totals = {r["code"]: r["total"] for r in spots["rows"]}
    assert totals == {YULIN: 3, "510107005001": 1}


def test_web_emergencies_read_for_the_web_and_stay_out_of_the_figures(app, client, staff, nocsrf):
    from tests.web.test_portal import write_in

    _, receipt = write_in(client, description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    assert "立即拨打" in receipt.text and "挂机" not in receipt.text
    created = client.post("/api/v1/tickets", json={"type": "help", "phone": "13812345678",
                          "description": "楼下有人持刀打架，快报警"})  # fmt: skip
    assert "挂机" not in created.json["notice"] and "110" in created.json["notice"]
    figures = client.get("/api/v1/stats/public").json["total"]
    assert figures["received"] == 0  # both are kept for the record only
    operator = staff("operator")
    listed = client.get("/api/v1/tickets", headers=operator).json
    assert listed["total"] == 2


def test_admin_form_speaks_chinese_and_keeps_what_was_typed(app, staff):
    from tests.support.web import post_form

    admin = signed_in(app, staff, "admin")
    form = {"username": "yulin_agent", "display_name": "玉林王队", "password": "s3cret-pass",
            "role": "agent", "org_unit": "", "department": "510107005-urban_management"}  # fmt: skip
    assert post_form(admin, "/admin/users", form, "/admin").status_code == 303
    again = post_form(admin, "/admin/users", {**form, "display_name": "另一位"}, "/admin")
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and "用户名 yulin_agent 已被使用" in page
    assert 'value="另一位"' in page and 'value="510107005-urban_management" selected' in page
    assert "already exists" not in page
    short = post_form(admin, "/admin/users", {**form, "username": "b", "password": "x"}, "/admin")
    assert short.status_code == 400 and "密码至少 8 位" in short.get_data(as_text=True)
    # Departments found by name the way operators search: "玉林 执法" finds the team.
    found = admin.get("/admin/departments?q=玉林 执法").get_data(as_text=True)
    assert "510107005-urban_management" in found
    assert "玉林街道综合行政执法队" in admin.get("/admin/departments?q=510107005-urban").get_data(
        as_text=True
    )


def test_wording_agents_footer_csrf_and_rule_stats(app, client, staff, new_ticket):
    agent = signed_in(app, staff, "agent", department="510107005-urban_management")
    page = agent.get("/department").get_data(as_text=True)
    assert "承办人" in page and "110 / 119 / 120 / 122" in page
    assert "110 / 119 / 120 / 122" in client.get("/").get_data(as_text=True)
    expired = client.post("/login", data={"username": "x", "password": "y"})
    text = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "CSRF" not in text and "页面已过期" in text
    new_ticket(description="随便说说今天天气")  # no rule matches: the centre handles it
    admin = signed_in(app, staff, "admin")
    rules = admin.get("/admin/rules").get_data(as_text=True)
    assert "no rule" not in rules and "无规则命中" in rules


def test_router_trace_reads_in_chinese(app):
    from hotline.web.labels import explain

    with app.test_request_context():
        text = explain({"step": "department", "wanted": "urban_management@township",
                        "chosen": "510107005-urban_management",
                        "fallback": ["no urban_management department at community"]})  # fmt: skip
        assert "城市管理" in text and "街道" in text and "no " not in text and "@" not in text
        assert "unknown" not in explain({"step": "department", "message": "unknown department x"})


def test_red_cards_and_escalations_name_the_step_and_level(app, client, new_ticket, staff):
    from hotline.sla.operations import sweep

    operator = staff("operator")
    number = new_ticket()
    client.post(f"/api/v1/tickets/{number}/actions", headers=operator,
                json={"action": "dispatch", "department": "510107005-urban_management"})  # fmt: skip
    with app.app_context():
        sweep(utcnow() + timedelta(days=6))
        db.session.remove()
    page = signed_in(app, staff, "operator").get(f"/tickets/{number}").get_data(as_text=True)
    assert "环节：签收" in page and "层级：区级" in page and "层级：市级" in page
