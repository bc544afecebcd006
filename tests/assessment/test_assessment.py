"""The monthly assessment: parts, deductions, exclusions, ranks, the month before and scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from hotline.assessment.scheme import Scheme, SchemeError, load_scheme
from hotline.core.extensions import db
from hotline.sla.models import SlaMark
from hotline.tickets.models import TicketEvent
from tests.support.stats import JINJIANG_URBAN, WUHOU_URBAN, at, put

HOUR = timedelta(hours=1)
TEST_SCHEME = Scheme(
    weights={"response_rate": 30, "resolution_rate": 35, "satisfaction_rate": 35,
             "on_time_rate": 0},
    deductions={"red_cards": 1.0, "refused_returns": 2.0, "replies_sent_back": 1.0},
    deduction_cap=40,
    min_tickets=2,
)  # fmt: skip


@pytest.fixture
def scheme(app: Any) -> Iterator[None]:
    original = app.extensions["hotline_assessment"]
    app.extensions["hotline_assessment"] = TEST_SCHEME
    yield
    app.extensions["hotline_assessment"] = original


def _signed(t, late: bool = False) -> dict[str, Any]:  # noqa: ANN001
    return {"sign_due": t + HOUR, "signed_at": t + (2 * HOUR if late else HOUR / 2)}


def build(app: Any, month: str = "2026-10") -> None:
    """The month (October 2026): 武侯 ahead of 锦江; 青羊 too small to rank. The month before:
    武侯 perfect."""
    year, number = int(month[:4]), int(month[5:])
    before = date(year - 1, 12, 9) if number == 1 else date(year, number - 1, 9)
    oct5, sep9 = at(date(year, number, 5), 10), at(before, 10)
    with app.app_context():
        put("W1", oct5, "510107005001", WUHOU_URBAN, rating="satisfied", status="closed",
            **_signed(oct5))  # fmt: skip
        w2 = put("W2", oct5, "510107005001", WUHOU_URBAN, rating="unsatisfied",
                 status="resolved", **_signed(oct5))  # fmt: skip
        j1 = put("J1", oct5, "510104017001", JINJIANG_URBAN, rating="satisfied",
                 status="closed", **_signed(oct5, late=True))  # fmt: skip
        put("J2", oct5, "510104017001", JINJIANG_URBAN, rating="satisfied", status="closed",
            **_signed(oct5))  # fmt: skip
        put("J3", oct5, "510104017001", None, rating="unsatisfied", status="answered")
        put("Q1", oct5, "510105", None, status="received")
        put("S1", sep9, "510107005001", WUHOU_URBAN, rating="satisfied", status="closed",
            **_signed(sep9))  # fmt: skip
        put("S2", sep9, "510107005001", WUHOU_URBAN, rating="satisfied", status="closed",
            **_signed(sep9))  # fmt: skip
        db.session.add(SlaMark(ticket_id=w2.id, step="resolve", kind="overdue", level="district",
                               round=oct5, created_at=oct5 + 30 * HOUR))  # fmt: skip
        db.session.add(TicketEvent(ticket_id=j1.id, action="review_request", actor="审核员",
                                   at=oct5 + HOUR, data={"approve": False, "reason": "职责清单"}))  # fmt: skip
        db.session.commit()


def _get(client: Any, headers: dict[str, str], **query: str) -> Any:
    return client.get("/api/v1/assessment", query_string=query, headers=headers)


def test_districts_scored_ranked_and_compared_with_the_month_before(
    app: Any, client: Any, staff: Any, scheme: None
) -> None:
    build(app)
    city = staff("supervisor", org_unit="5101")
    body = _get(client, city, month="2026-10", level="district").json
    rows = {r["code"]: r for r in body["items"]}
    assert set(rows) == {"510104", "510107", "510105"}
    jinjiang, wuhou, qingyang = rows["510104"], rows["510107"], rows["510105"]
    assert jinjiang["parts"] == {"response_rate": 0.5, "resolution_rate": 0.6667,
                                 "satisfaction_rate": 0.6667, "on_time_rate": None}  # fmt: skip
    assert wuhou["parts"]["response_rate"] == 1.0 and wuhou["parts"]["resolution_rate"] == 0.5
    assert wuhou["base"] == 65.0 and wuhou["deductions"]["red_cards"] == 1
    assert wuhou["score"] == 64.0
    assert jinjiang["deductions"]["refused_returns"] == 1 and jinjiang["deduction_points"] == 2.0
    assert jinjiang["score"] == 59.67
    assert (wuhou["rank"], jinjiang["rank"]) == (1, 2)
    assert qingyang["ranked"] is False and qingyang["rank"] is None
    assert wuhou["previous"] == {"score": 100.0, "rank": 1}
    assert jinjiang["previous"] is None
    assert body["scheme"]["weights"]["satisfaction_rate"] == 35


def test_an_excluded_rating_leaves_the_figures_and_can_be_restored(
    app: Any, client: Any, staff: Any, scheme: None
) -> None:
    build(app)
    city = staff("supervisor", org_unit="5101")
    act = "/api/v1/tickets/J3/actions"
    excluded = client.post(act, json={"action": "exclude_rating", "reason": "恶意重复投诉"},
                           headers=city)  # fmt: skip
    assert excluded.status_code == 200, excluded.json
    row = next(r for r in _get(client, city, month="2026-10", level="district").json["items"]
               if r["code"] == "510104")  # fmt: skip
    assert row["parts"]["satisfaction_rate"] == 1.0 and row["excluded_ratings"] == 1
    assert (row["score"], row["rank"]) == (83.0, 1)
    again = client.post(act, json={"action": "exclude_rating", "reason": "x"}, headers=city)
    assert again.status_code == 409
    restored = client.post(act, json={"action": "restore_rating", "reason": "复核后恢复"},
                           headers=city)  # fmt: skip
    assert restored.status_code == 200
    timeline = [e["action"] for e in client.get("/api/v1/tickets/J3", headers=city).json["events"]]
    assert timeline[-2:] == ["exclude_rating", "restore_rating"]
    operator = staff("operator")
    refused = client.post(act, json={"action": "exclude_rating", "reason": "x"}, headers=operator)
    assert refused.status_code == 403


def test_departments_ranked_within_their_level(
    app: Any, client: Any, staff: Any, scheme: None
) -> None:
    build(app)
    city = staff("supervisor", org_unit="5101")
    rows = _get(client, city, month="2026-10", level="department").json["items"]
    assert [(r["code"], r["group"], r["rank"]) for r in rows] == [
        (JINJIANG_URBAN, "district", 1),
        (WUHOU_URBAN, "district", 2),
    ]


def test_scope_roles_and_bad_queries(app: Any, client: Any, staff: Any, scheme: None) -> None:
    build(app)
    wuhou = staff("supervisor", org_unit="510107")
    rows = _get(client, wuhou, month="2026-10", level="district").json["items"]
    assert [(r["code"], r["rank"], r["ranked_of"]) for r in rows] == [("510107", 1, 2)]
    agent = staff("agent", department=WUHOU_URBAN)
    assert _get(client, agent, month="2026-10", level="district").status_code == 403
    assert client.get("/api/v1/assessment?month=2026-10&level=district").status_code == 401
    for query, field in (({"month": "2026-13", "level": "district"}, "month"),
                         ({"month": "2026-10", "level": "city"}, "level"),
                         ({"level": "district"}, "month")):  # fmt: skip
        response = _get(client, wuhou, **query)
        assert response.status_code == 400 and field in response.json["error"]["fields"]


def test_the_scheme_file_is_checked(tmp_path: Any) -> None:
    assert load_scheme().weights["resolution_rate"] == 35
    bad = tmp_path / "scheme.yaml"
    bad.write_text("weights: {speed: 10}\n")
    with pytest.raises(SchemeError, match="weights.speed: unknown"):
        load_scheme(bad)
    bad.write_text("weights: {response_rate: -1}\n")
    with pytest.raises(SchemeError, match="at least 0"):
        load_scheme(bad)
