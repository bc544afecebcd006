"""政务公开: figures per district for anyone, with no personal data."""

from __future__ import annotations

import re

from hotline.core.extensions import db
from tests.support.stats import SECRET_NAME, SECRET_PHONE, SECRET_TEXT, build


def test_public_page_shows_districts_and_nothing_personal(app, client):
    with app.app_context():
        build()
        db.session.remove()
    response = client.get("/public")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "政务公开" in html and "武侯区" in html and "简阳市" in html
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>(.*?)</tr>", html, re.S)
    assert len(rows) == 20
    cells = dict((name, re.findall(r'class="num">([^<]*)<', rest)) for name, rest in rows)
    # 武侯区: 6 received, response 2/4, resolution 1/3, satisfaction 2/3, 2 overdue.
    assert cells["武侯区"] == ["6", "50.0%", "33.3%", "66.7%", "2"]
    assert cells["锦江区"] == ["1", "100.0%", "100.0%", "100.0%", "0"]
    assert cells["金堂县"] == ["0", "—", "—", "—", "0"]
    for secret in (SECRET_PHONE, SECRET_NAME, SECRET_TEXT, "510107005001", "玉林北路"):
        assert secret not in html
    assert "<svg" in html


def test_public_page_window_and_bad_input(client):
    assert client.get("/public?from=2026-01-01&to=2026-01-31").status_code == 200
    assert client.get("/public?from=2026-02-01&to=2026-01-01").status_code == 400
    assert client.get("/public?from=yesterday").status_code == 400
    assert client.get("/public?x=1").status_code == 400


def test_unlocated_tickets_get_their_own_row_and_rows_add_up(app, client):
    from datetime import timedelta

    from hotline.core.timeutil import utcnow
    from tests.support.stats import put

    with app.app_context():
        build()
        now = utcnow()
        put("X", now - timedelta(hours=5), None, None, status="received")  # no place at all
        put("Y", now - timedelta(hours=5), "5101", "5101-general",
            sign_due=now - timedelta(hours=1), status="dispatched")  # fmt: skip
        db.session.commit()
        db.session.remove()
    html = client.get("/public").get_data(as_text=True)
    body = html.split('id="districts"', 1)[1].split("<tfoot>", 1)[0]
    rows = re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>(.*?)</tr>", body, re.S)
    cells = {name: re.findall(r'class="num">([^<]*)<', rest) for name, rest in rows}
    assert cells["未定位"][0] == "2" and cells["未定位"][-1] == "1"
    total = re.search(r'<div class="stat[^"]*"><b>(\d+)</b><span>受理工单', html).group(1)
    assert sum(int(c[0]) for c in cells.values()) == int(total)
    assert "各区（市）县与「未定位」相加等于全市合计" in html
    api = client.get("/api/v1/stats/public").json
    received = sum(r["received"] for r in api["items"]) + api["unlocated"]["received"]
    overdue = sum(r["overdue"] for r in api["items"]) + api["unlocated"]["overdue"]
    assert received == api["total"]["received"] and overdue == api["total"]["overdue"]
