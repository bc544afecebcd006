"""The supervisor board through the test client: scope, overdue list, CSV, actions, charts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select, update

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket, TicketEvent
from tests.support.stats import SECRET_PHONE, WUHOU_GENERAL, build
from tests.support.web import post_form, signed_in

JINJIANG_DEPT = "510104-urban_management"


def seed(app):
    with app.app_context():
        build()
        db.session.remove()


def events(app, number):
    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        actions = [e.action for e in db.session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )]  # fmt: skip
        return ticket, actions


def jinjiang_overdue(app):
    """Add an overdue ticket in 锦江区 that a 武侯区 supervisor must never see."""
    with app.app_context():
        from tests.support.stats import put

        now = utcnow()
        put("J", now - timedelta(days=1), "510104017001", JINJIANG_DEPT,
            sign_due=now - timedelta(hours=3), status="dispatched")  # fmt: skip
        db.session.commit()


def test_strangers_and_other_roles_are_kept_out(app, client, staff):
    assert client.get("/supervisor").status_code == 302
    assert "/login" in client.get("/supervisor").headers["Location"]
    agent = signed_in(app, staff, "agent", department=WUHOU_GENERAL)
    operator = signed_in(app, staff, "operator")
    for path in ("/supervisor", "/supervisor/rates", "/supervisor/overdue.csv",
                 "/supervisor/extensions", "/supervisor/hotspots"):  # fmt: skip
        assert agent.get(path).status_code == 403, path
        assert operator.get(path).status_code == 403, path


def test_overdue_list_scoped_sorted_and_filtered(app, staff):
    seed(app)
    jinjiang_overdue(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    page = sup.get("/supervisor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # H (40 days old, resolution 2 h late) and D (sign-for 1 h late); never 锦江区's J.
    assert html.index(">H<") < html.index(">D<")
    assert ">J<" not in html and "锦江区" not in html
    assert "催办" in html and "督办" in html and SECRET_PHONE not in html
    only_general = sup.get("/supervisor?function=general").get_data(as_text=True)
    assert ">H<" in only_general and ">D<" not in only_general
    by_dept = sup.get("/supervisor?department=510107-urban_management").get_data(as_text=True)
    assert ">D<" in by_dept and ">H<" not in by_dept
    assert sup.get("/supervisor?level=galaxy").status_code == 400
    # Another district is outside this supervisor's unit: refused, as on the rates page.
    assert sup.get("/supervisor?org_unit=510104").status_code == 403
    assert sup.get("/supervisor/overdue.csv?org_unit=510104").status_code == 403
    city = signed_in(app, staff, "supervisor", org_unit="5101")
    assert ">J<" in city.get("/supervisor").get_data(as_text=True)
    areas = city.get("/supervisor?org_unit=510104").get_data(as_text=True)
    assert ">J<" in areas and ">H<" not in areas


def test_csv_export_follows_scope_and_filters(app, staff):
    seed(app)
    jinjiang_overdue(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    response = sup.get("/supervisor/overdue.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "工单号"
    assert [r[0] for r in rows[1:]] == ["H", "D"]
    filtered = sup.get("/supervisor/overdue.csv?function=urban_management")
    assert [r[0] for r in csv.reader(io.StringIO(filtered.data.decode("utf-8-sig")))][1:] == ["D"]


def test_urge_and_supervise_from_the_board(app, staff):
    seed(app)
    jinjiang_overdue(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    for action in ("urge", "supervise"):
        response = post_form(sup, "/supervisor/tickets/D/actions",
                             {"action": action, "next": "/supervisor"}, "/supervisor")  # fmt: skip
        assert response.status_code == 303 and response.headers["Location"] == "/supervisor"
    assert events(app, "D")[1][-2:] == ["urge", "supervise"]
    # Another district's ticket: refused, nothing written.
    refused = post_form(sup, "/supervisor/tickets/J/actions", {"action": "urge"}, "/supervisor")
    assert refused.status_code in (303, 403)
    assert "urge" not in events(app, "J")[1]
    # No CSRF token: refused.
    assert sup.post("/supervisor/tickets/D/actions", data={"action": "urge"}).status_code == 400
    bad = post_form(sup, "/supervisor/tickets/D/actions", {"action": "resolve"}, "/supervisor")
    assert bad.status_code == 400


def test_extension_requests_approve_and_refuse(app, staff):
    seed(app)
    with app.app_context():
        due = utcnow() + timedelta(days=2)
        for number in ("A", "B"):
            db.session.execute(
                update(Ticket).where(Ticket.number == number).values(
                    status="accepted", resolve_due=due, rating=None,
                    extension_request={"days": 3, "reason": "需协调多个部门", "by": "承办人"},
                )
            )  # fmt: skip
        db.session.commit()
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    page = sup.get("/supervisor/extensions").get_data(as_text=True)
    assert "需协调多个部门" in page and ">A<" in page and ">B<" in page
    ok = post_form(sup, "/supervisor/tickets/A/actions",
                   {"action": "decide_extension", "approve": "true"}, "/supervisor/extensions")  # fmt: skip
    assert ok.status_code == 303
    no = post_form(sup, "/supervisor/tickets/B/actions",
                   {"action": "decide_extension", "approve": "false", "reason": "理由不充分"},
                   "/supervisor/extensions")  # fmt: skip
    assert no.status_code == 303
    a, a_events = events(app, "A")
    b, b_events = events(app, "B")
    assert a_events[-1] == "decide_extension" and a.resolve_due > due and not a.extension_request
    assert b_events[-1] == "decide_extension" and b.resolve_due == due and not b.extension_request
    page = sup.get("/supervisor/extensions").get_data(as_text=True)
    assert "没有待审批的延期申请" in page


def test_rates_page_numbers_and_charts(app, staff):
    seed(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    html = sup.get("/supervisor/rates").get_data(as_text=True)
    # 武侯区: 6 received, response 2/4, resolution 1/3, satisfaction 2/3, 2 overdue.
    for text in ("50.0%", "33.3%", "66.7%", "（2/4）", "（1/3）", "（2/3）"):
        assert text in html, text
    legends = html.count('<svg class="legend-line"')  # one per rate line, beside the trend chart
    assert legends == 3 and html.count("<svg") - legends == 2  # the trend and the ranking
    assert "<polyline" in html and "<rect" in html
    assert "玉林街道" in html and "武侯区城市管理局" in html and "锦江" not in html
    township = sup.get("/supervisor/rates?org_unit=510107005&metric=response_rate")
    assert township.status_code == 200 and "玉林北路社区" in township.get_data(as_text=True)
    assert sup.get("/supervisor/rates?org_unit=510104").status_code == 403
    assert sup.get("/supervisor/rates?metric=x").status_code == 400
    assert sup.get("/supervisor/rates?from=2026-02-30").status_code in (302, 400)


def test_rates_page_shows_departments_a_page_at_a_time(app, staff, monkeypatch):
    from hotline.web import supervisor

    seed(app)
    monkeypatch.setattr(supervisor, "DEPARTMENTS_SHOWN", 1)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    first = sup.get("/supervisor/rates").get_data(as_text=True)
    second = sup.get("/supervisor/rates?dpage=2").get_data(as_text=True)
    assert "department-pages" in first and "dpage=2" in first
    names = ("玉林北路社区", "武侯区城市管理局")
    table = [page.split('id="by-department"', 1)[1] for page in (first, second)]
    assert [sum(name in t for name in names) for t in table] == [1, 1]
    assert sup.get("/supervisor/rates?dpage=x").status_code == 422


def test_hotspots_table(app, staff):
    seed(app)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    html = sup.get("/supervisor/hotspots").get_data(as_text=True)
    assert "玉林北路社区居委会" in html and "玉林东路社区居委会" in html
    assert "水井坊" not in html


def test_too_many_departments_to_offer_ask_for_a_function_first(app, staff, monkeypatch):
    from hotline.web import supervisor

    seed(app)
    monkeypatch.setattr(supervisor, "OPTIONS_LIMIT", 0)
    sup = signed_in(app, staff, "supervisor", org_unit="510107")
    page = sup.get("/supervisor").get_data(as_text=True)
    assert "请先选择职能" in page and 'value="510107-urban_management"' not in page
    chosen = sup.get("/supervisor?department=510107-urban_management").get_data(as_text=True)
    assert 'value="510107-urban_management" selected' in chosen
