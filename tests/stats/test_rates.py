"""The three rates against hand-built tickets: totals, per department, per org unit, per day."""

from __future__ import annotations

from datetime import timedelta

from hotline.core.actors import Actor
from hotline.core.timeutil import utcnow
from hotline.stats import operations as ops
from hotline.stats.window import window
from tests.support.stats import (
    JINJIANG_URBAN,
    TZ,
    WUHOU_GENERAL,
    WUHOU_URBAN,
    build,
    today,
)

OPERATOR = Actor(1, "op", "operator")
WUHOU_SUP = Actor(2, "sup", "supervisor", org_unit_code="510107")
YULIN_SUP = Actor(3, "sup2", "supervisor", org_unit_code="510107005")
JINJIANG_AGENT = Actor(4, "agent", "agent", department_code=JINJIANG_URBAN)


def counts(row):
    keys = ("received", "dispatched", "signed_in_time", "rated", "satisfied", "solved")
    return tuple(row[k] for k in keys) + (row["overdue"],)


def rates(row):
    return (row["response_rate"], row["resolution_rate"], row["satisfaction_rate"])


def test_totals_follow_the_definitions(ctx):
    build()
    w, now = window(TZ), utcnow()
    total = ops.totals(OPERATOR, "5101", w, now)
    # 7 received (H is older, M a duplicate); 5 settled sign-fors (E still in time, F not sent);
    # A, C, G in time; A, B, C, G rated; A, B, G liked; B reopened so only A and G solved.
    assert counts(total) == (7, 5, 3, 4, 3, 2, 2)
    assert rates(total) == (0.6, 0.5, 0.75)


def test_per_department(ctx):
    build()
    rows = {r["key"]: r for r in ops.by_department(OPERATOR, "5101", window(TZ), utcnow())}
    assert set(rows) == {WUHOU_GENERAL, WUHOU_URBAN, JINJIANG_URBAN}
    assert counts(rows[WUHOU_GENERAL]) == (3, 3, 2, 3, 2, 1, 1)  # H overdue, outside window
    assert rates(rows[WUHOU_GENERAL]) == (0.6667, 0.3333, 0.6667)
    assert counts(rows[WUHOU_URBAN]) == (2, 1, 0, 0, 0, 0, 1)
    assert rates(rows[WUHOU_URBAN]) == (0.0, None, None)
    assert rates(rows[JINJIANG_URBAN]) == (1.0, 1.0, 1.0)
    assert rows[WUHOU_URBAN]["name"] == "武侯区城市管理局"
    ranked = [r["key"] for r in ops.ranking(list(rows.values()), "satisfaction_rate")]
    assert ranked == [JINJIANG_URBAN, WUHOU_GENERAL, WUHOU_URBAN]


def test_per_org_unit_city_and_district(ctx):
    build()
    w, now = window(TZ), utcnow()
    city = {r["key"]: r for r in ops.by_org_unit(OPERATOR, "5101", w, now)}
    assert set(city) == {"510107", "510104"}
    assert city["510107"]["name"] == "武侯区"
    assert counts(city["510107"]) == (6, 4, 2, 3, 2, 1, 2)
    assert counts(city["510104"]) == (1, 1, 1, 1, 1, 1, 0)
    district = {r["key"]: r for r in ops.by_org_unit(OPERATOR, "510107", w, now)}
    # E is placed at the district itself: its own row, flagged as 本级.
    assert set(district) == {"510107005", "510107"}
    assert district["510107"]["self"] and counts(district["510107"])[0] == 1
    assert counts(district["510107005"]) == (5, 4, 2, 3, 2, 1, 2)


def test_per_day_in_local_time(ctx):
    build()
    w = window(TZ)
    days = ops.by_day(OPERATOR, "5101", w, utcnow())
    assert len(days) == 30 and days[-1]["key"] == today().isoformat()
    by_key = {d["key"]: d["received"] for d in days}
    # G was filed at 00:30 Chengdu time: the local day, not the UTC one, counts.
    assert by_key[(today() - timedelta(days=1)).isoformat()] == 4
    assert by_key[(today() - timedelta(days=2)).isoformat()] == 3
    assert sum(by_key.values()) == 7


def test_window_bounds(ctx):
    build()
    now, day2 = utcnow(), today() - timedelta(days=2)
    only_day2 = ops.totals(OPERATOR, "5101", window(TZ, day2, day2), now)
    assert only_day2["received"] == 3 and only_day2["overdue"] == 2  # overdue ignores the window
    old = window(TZ, today() - timedelta(days=45), today() - timedelta(days=35))
    assert ops.totals(OPERATOR, "5101", old, now)["received"] == 1


def test_scope(ctx):
    build()
    w, now = window(TZ), utcnow()
    wuhou = ops.totals(WUHOU_SUP, "510107", w, now)
    assert counts(wuhou) == (6, 4, 2, 3, 2, 1, 2)
    # Asking a supervisor's figures city-wide still counts only their district.
    assert counts(ops.totals(WUHOU_SUP, "5101", w, now)) == counts(wuhou)
    assert {r["key"] for r in ops.by_department(WUHOU_SUP, None, w, now)} == {
        WUHOU_GENERAL,
        WUHOU_URBAN,
    }
    # The district bureau's tickets belong to the district, not to the township below it.
    assert {r["key"] for r in ops.by_department(YULIN_SUP, None, w, now)} == {WUHOU_GENERAL}
    agent = ops.totals(JINJIANG_AGENT, None, w, now)
    assert counts(agent) == (1, 1, 1, 1, 1, 1, 0)


def test_hotspots(ctx):
    build()
    spots = ops.hotspots(OPERATOR, "5101", window(TZ))
    rows = {r["code"]: r for r in spots["rows"]}
    assert rows["510107005001"]["counts"] == {"general": 3}
    assert rows["510107005002"]["counts"] == {"urban_management": 1}
    assert rows["510107005001"]["name"] == "玉林北路社区居委会"
    assert spots["rows"][0]["code"] == "510107005001"
    assert spots["functions"] == ["general", "urban_management"]
    assert "510104017001" not in {
        r["code"] for r in ops.hotspots(WUHOU_SUP, None, window(TZ))["rows"]
    }


def test_an_unsatisfied_rating_still_counts_after_the_reopen(app, client, new_ticket, staff):
    """重办 must not make a bad rating disappear from the rates."""
    operator = staff("operator")
    agent = staff("agent", department="510107005-urban_management")
    supervisor = staff("supervisor", org_unit="510107")
    number = new_ticket()
    for headers, body in (
        (operator, {"action": "dispatch", "department": "510107005-urban_management"}),
        (agent, {"action": "sign"}),
        (agent, {"action": "resolve", "reply": "已处理"}),
    ):
        assert (
            client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers).status_code
            == 200
        )
    rate = {"phone": "13812345678", "rating": "unsatisfied", "comment": "没处理", "reopen": True}
    assert client.post(f"/api/v1/track/{number}/rate", json=rate).status_code == 200
    for body in ({"action": "sign"}, {"action": "resolve", "reply": "再次处理"}):
        client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=agent)
    client.post(f"/api/v1/tickets/{number}/actions", json={"action": "close"}, headers=operator)
    figures = client.get("/api/v1/stats/rates?org_unit=510107", headers=supervisor).json
    assert figures["total"]["rated"] == 1
    assert figures["total"]["satisfaction_rate"] == 0


def test_a_departments_figures_from_the_aggregates_count_what_it_assists_once(ctx, monkeypatch):
    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket, TicketPart

    build()
    tickets = {t.number: t for t in db.session.query(Ticket)}
    # JINJIANG_URBAN leads G, assists A (led by another), assists its own G (counted once) and
    # assists F (led by nobody yet); a withdrawn part of B does not count.
    for number, status in (
        ("A", "signed"),
        ("G", "signed"),
        ("F", "dispatched"),
        ("B", "withdrawn"),
    ):
        db.session.add(TicketPart(ticket_id=tickets[number].id, department_code=JINJIANG_URBAN,
                                  status=status))  # fmt: skip
    db.session.commit()
    w, now = window(TZ), utcnow()

    def figures():
        return (
            ops.totals(JINJIANG_AGENT, None, w, now),
            ops.by_day(JINJIANG_AGENT, None, w, now),
            ops.by_department(JINJIANG_AGENT, None, w, now),
            ops.by_org_unit(JINJIANG_AGENT, "5101", w, now),
        )

    assert ops.use_rollup(JINJIANG_AGENT, None)
    rolled = figures()
    assert counts(rolled[0])[0] == 3  # G, A, F
    monkeypatch.setattr(ops, "use_rollup", lambda actor, org_unit: False)
    monkeypatch.setattr(ops, "_rolled", None)  # the raw count touches no aggregate
    assert figures() == rolled
