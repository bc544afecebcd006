"""Supervisor pages of accountability: ranking and report downloads, warnings, topics, /public."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hotline.assessment.operations import previous_month
from hotline.stats import rollup
from tests.assessment.test_assessment import build, scheme  # noqa: F401  (fixture)
from tests.early_warning.test_surges import _run_job, _tickets, _warnings
from tests.support.stats import today


@pytest.mark.usefixtures("scheme")
def test_the_ranking_page_and_its_report_downloads(app: Any, signin: Any) -> None:
    build(app)
    client = signin("supervisor", org_unit="5101")
    page = client.get("/supervisor/assessment?month=2026-10&level=district")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="assessment"' in html
    assert html.index("武侯区") < html.index("锦江区") and "64.0" in html and "59.67" in html
    pdf = client.get("/supervisor/report.pdf?month=2026-10")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "12345-monthly-2026-10.pdf" in pdf.headers["Content-Disposition"]
    xlsx = client.get("/supervisor/report.xlsx?month=2026-10")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/supervisor/report.doc?month=2026-10").status_code == 404
    assert client.get("/supervisor/assessment?month=2026-99").status_code == 400
    agent = signin("agent", department="510107-water")
    assert agent.get("/supervisor/assessment").status_code in (302, 403)


def test_a_warning_acknowledged_and_taken_on_as_a_topic(app: Any, signin: Any) -> None:
    _tickets(app, 12, timedelta(minutes=30))
    _run_job(app)
    [warning] = _warnings(app)
    client = signin("supervisor", org_unit="510107")
    page = client.get("/supervisor/warnings").get_data(as_text=True)
    assert "玉林街道" in page and "待确认" in page
    client.post(f"/supervisor/warnings/{warning.id}/acknowledge")
    assert "已确认" in client.get("/supervisor/warnings").get_data(as_text=True)
    form = client.get(f"/supervisor/topics?warning_id={warning.id}").get_data(as_text=True)
    assert f'name="warning_id" value="{warning.id}"' in form
    opened = client.post("/supervisor/topics", data={"title": "玉林停水", "warning_id": warning.id})
    assert opened.status_code == 303
    topic_page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "玉林停水" in topic_page and "关联工单（12）" in topic_page
    added = client.post(opened.headers["Location"] + "/tasks",
                        data={"title": "排查管网", "department": "510107-water", "due": "2026-12-31"})  # fmt: skip
    assert added.status_code == 303
    assert "排查管网" in client.get(opened.headers["Location"]).get_data(as_text=True)
    empty = client.post("/supervisor/topics", data={"title": ""}, follow_redirects=True)
    assert empty.status_code in (200, 400)


@pytest.mark.usefixtures("scheme")
def test_public_page_shows_last_month_s_district_ranking(app: Any, client: Any) -> None:
    empty = client.get("/public").get_data(as_text=True)
    assert 'id="public-assessment"' not in empty
    last_month = previous_month(f"{today():%Y-%m}")
    build(app, last_month)
    with app.app_context():  # tickets put behind the aggregates' back (changed last month)
        rollup.rebuild()
    page = client.get("/public").get_data(as_text=True)
    table = page[page.index('id="public-assessment"') :]
    assert table.index("武侯区") < table.index("锦江区") and "64.0" in table
    assert "13999990000" not in page and "张秘密" not in page
