"""Dates at the ends of the calendar: a field error, never a 500; the window stays bounded."""

from __future__ import annotations

import pytest

from tests.support.web import signed_in

ENDS = ("to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=0001-01-02", "to=0001-01-01")


@pytest.mark.parametrize("query", ENDS)
def test_the_api_refuses_dates_at_the_ends_of_the_calendar(client, staff, query):
    operator = staff("operator")
    for path in ("/api/v1/stats/public", "/api/v1/stats/rates"):
        response = client.get(f"{path}?{query}", headers=operator)
        assert response.status_code == 400, (path, query, response.status_code)
        fields = response.json["error"]["fields"]
        assert set(fields) <= {"from", "to"} and fields, fields


@pytest.mark.parametrize("query", ENDS)
def test_the_pages_refuse_dates_at_the_ends_of_the_calendar(app, client, staff, query):
    supervisor = signed_in(app, staff, "supervisor", org_unit="510107")
    assert client.get(f"/public?{query}").status_code == 400
    for path in ("/supervisor/rates", "/supervisor/hotspots"):
        assert supervisor.get(f"{path}?{query}").status_code == 400, path


def test_one_end_alone_keeps_the_window_within_366_days(client, staff):
    operator = staff("operator")
    response = client.get("/api/v1/stats/rates?from=1990-01-01&by=day", headers=operator)
    assert response.status_code == 200
    body = response.json
    assert body["from"] == "1990-01-01" and body["to"] == "1991-01-01"
    assert len(body["items"]) == 366
    only_to = client.get("/api/v1/stats/public?to=2026-03-31").json
    assert only_to["from"] == "2026-03-02" and only_to["to"] == "2026-03-31"
