"""The statistics API over HTTP: scope, grouping, validation and the public figures."""

from __future__ import annotations

from hotline.core.extensions import db
from tests.support.stats import (
    JINJIANG_URBAN,
    SECRET_NAME,
    SECRET_PHONE,
    SECRET_TEXT,
    WUHOU_GENERAL,
    WUHOU_URBAN,
    build,
)


def seed(app):
    with app.app_context():
        build()
        db.session.remove()


def test_rates_scoped_to_the_supervisor(app, client, staff):
    seed(app)
    sup = staff("supervisor", org_unit="510107")
    body = client.get("/api/v1/stats/rates", headers=sup).json
    assert body["org_unit"] == {"code": "510107", "name": "武侯区"}
    assert body["by"] == "department" and body["total"]["received"] == 6
    assert {r["key"] for r in body["items"]} == {WUHOU_GENERAL, WUHOU_URBAN}
    by_unit = client.get("/api/v1/stats/rates?by=org_unit", headers=sup).json["items"]
    assert {r["key"] for r in by_unit} == {"510107", "510107005"}
    days = client.get("/api/v1/stats/rates?by=day", headers=sup).json["items"]
    assert len(days) == 30 and sum(d["received"] for d in days) == 6
    other = client.get("/api/v1/stats/rates?org_unit=510104", headers=sup)
    assert other.status_code == 403
    city = client.get("/api/v1/stats/rates?org_unit=5101", headers=sup)
    assert city.status_code == 403


def test_rates_for_operator_and_agent(app, client, staff):
    seed(app)
    operator = staff("operator")
    body = client.get("/api/v1/stats/rates?by=org_unit", headers=operator).json
    assert {r["key"]: r["received"] for r in body["items"]} == {"510107": 6, "510104": 1}
    assert body["total"]["satisfaction_rate"] == 0.75
    agent = staff("agent", department=JINJIANG_URBAN)
    mine = client.get("/api/v1/stats/rates", headers=agent).json
    assert [r["key"] for r in mine["items"]] == [JINJIANG_URBAN]


def test_rates_refuses_bad_input(client, staff):
    assert client.get("/api/v1/stats/rates").status_code == 401
    operator = staff("operator")
    for query in ("by=week", "from=2026-13-01", "from=2026-02-01&to=2026-01-01",
                  "from=2020-01-01&to=2026-01-01", "org_unit=abc", "colour=red"):  # fmt: skip
        response = client.get(f"/api/v1/stats/rates?{query}", headers=operator)
        assert response.status_code == 400, query
        assert response.json["error"]["code"] == "validation_error"
    unknown = client.get("/api/v1/stats/rates?org_unit=999999", headers=operator)
    assert unknown.status_code == 422 and "org_unit" in unknown.json["error"]["fields"]


def test_public_figures_per_district_without_personal_data(app, client):
    seed(app)
    response = client.get("/api/v1/stats/public")
    assert response.status_code == 200
    body = response.json
    assert body["city"]["name"] == "成都市" and len(body["items"]) == 20
    rows = {r["code"]: r for r in body["items"]}
    assert rows["510107"]["received"] == 6 and rows["510107"]["overdue"] == 2
    assert rows["510104"]["satisfaction_rate"] == 1.0
    assert rows["510121"]["received"] == 0 and rows["510121"]["response_rate"] is None
    assert body["total"]["received"] == 7
    text = response.get_data(as_text=True)
    for secret in (SECRET_PHONE, SECRET_NAME, SECRET_TEXT, WUHOU_GENERAL, '"A"'):
        assert secret not in text
    assert client.get("/api/v1/stats/public?by=x").status_code == 400
