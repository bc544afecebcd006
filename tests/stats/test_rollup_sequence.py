"""Every aggregate equals a full recount after each step of a working day's changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.stats import hotspots as spots
from hotline.stats import months, rollup
from hotline.stats import operations as ops
from hotline.stats.models import COUNTS, StatsDaily
from hotline.stats.window import window
from hotline.tickets.models import Ticket
from tests.support.stats import TZ, assert_rebuild_changes_nothing, today

DEPT = "510107005-urban_management"
OTHER = "510104-urban_management"
PHONE = "13812345678"
OPERATOR = Actor(1, "op", "operator")
WUHOU = Actor(2, "sup", "supervisor", org_unit_code="510107")


def act(client: Any, number: str, headers: dict, **body: Any) -> dict:
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == 200, (body, response.json)
    return response.json


def rate(client: Any, number: str, rating: str, reopen: bool = False) -> None:
    body = {"phone": PHONE, "rating": rating, "comment": "回访", "reopen": reopen}
    assert client.post(f"/api/v1/track/{number}/rate", json=body).status_code == 200


def backdate(number: str, days: int) -> None:
    """Move a ticket's creation ``days`` back (a ticket of an earlier month changing now)."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    assert ticket is not None
    db.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(created_at=ticket.created_at - timedelta(days=days), updated_at=utcnow())
    )
    db.session.commit()


def agrees(app: Any) -> None:
    """Refresh, then check the aggregates and the figures read from them against recounts."""
    with app.app_context():
        rollup.refresh()
        assert rollup.verify() == []
        now = utcnow()
        # A window cutting months: whole months less some days, plus odd days.
        for w in (window(TZ), window(TZ, today() - timedelta(days=70)), window(TZ, today())):
            for actor in (OPERATOR, WUHOU):
                rolled = {r["key"]: r for r in ops.by_department(actor, None, w, now)}
                raw = {r["key"]: r for r in by_department_raw(actor, w, now)}
                assert rolled == raw
                for unit in ("5101", "510107"):
                    assert streets(actor, unit, w) == streets_raw(actor, unit, w, now)
                cut = months.spans(w.first, w.last, today())
                assert cut is not None
                scope = spots._spot_scope(actor)
                assert spots._rolled_cells(scope, None, w, 1000) == spots._raw_cells(actor, None, w)
        db.session.remove()


def streets(actor: Actor, unit: str, w: Any) -> dict:
    """Return the counts of the units below ``unit``, from the aggregates."""
    key = "district_code" if len(unit) == 4 else "street_code"
    rows = ops._rolled(actor, unit, w, getattr(StatsDaily, key))
    return {k: {c: int(v[c]) for c in COUNTS} for k, v in rows.items()}


def streets_raw(actor: Actor, unit: str, w: Any, now: Any) -> dict:
    """Return the counts of the units below ``unit``, from the tickets."""
    key = ops.child_key(unit)[0]
    stmt = select(key.label("key"), *ops._measures(now)).where(*ops._where(actor, unit, w))
    return {
        r.key: {c: int(getattr(r, c)) for c in COUNTS}
        for r in db.session.execute(stmt.group_by(key))
    }


def by_department_raw(actor: Actor, w: Any, now: Any) -> list[dict]:
    """Return by_department counted from the tickets (the aggregates bypassed)."""
    original = ops.use_rollup
    ops.use_rollup = lambda *args: False  # type: ignore[assignment]
    try:
        return ops.by_department(actor, None, w, now)
    finally:
        ops.use_rollup = original


def test_the_aggregates_follow_a_day_of_changes(app, client, new_ticket, staff):
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    other = staff("agent", department=OTHER)
    city = staff("supervisor", org_unit="5101")
    numbers = [new_ticket() for _ in range(6)]
    jinjiang = new_ticket(community_code="510104017001")
    agrees(app)
    for number in numbers:
        act(client, number, operator, action="dispatch", department=DEPT)
    act(client, jinjiang, operator, action="dispatch", department=OTHER)
    agrees(app)
    a, b, c, d, e, f = numbers
    for number in (a, b, c, d):
        act(client, number, agent, action="sign")
        act(client, number, agent, action="resolve", reply="已处理")
    act(client, jinjiang, other, action="sign")
    agrees(app)
    # Ratings arrive later, for tickets of an earlier month too.
    with app.app_context():
        backdate(b, 45)
        backdate(c, 80)
    rate(client, a, "satisfied")
    rate(client, b, "unsatisfied", reopen=True)
    rate(client, c, "basically_satisfied")
    agrees(app)
    # The reopened ticket goes round again; one follow-up never reaches the resident.
    act(client, b, agent, action="sign")
    act(client, b, agent, action="resolve", reply="再次处理")
    rate(client, b, "satisfied")
    for _ in range(3):
        act(client, d, operator, action="followup_call", outcome="not_reached")
    agrees(app)
    # A supervisor excludes an unreasonable rating; a duplicate is merged away.
    act(client, c, city, action="exclude_rating", reason="不合理诉求")
    act(client, f, operator, action="merge", into=e)
    agrees(app)
    # An emergency handed to 110 leaves the figures.
    with app.app_context():
        db.session.execute(
            update(Ticket).where(Ticket.number == e).values(emergency=True, updated_at=utcnow())
        )
        db.session.commit()
    agrees(app)
    # Months emptied of their last ticket lose their rows, as a recount would have none.
    with app.app_context():
        db.session.execute(
            update(Ticket).where(Ticket.number == c).values(status="merged", updated_at=utcnow())
        )
        db.session.commit()
    agrees(app)
    with app.app_context():
        assert_rebuild_changes_nothing()


def test_a_page_leaves_a_long_recount_to_the_job(ctx, monkeypatch):
    from tests.support.stats import build

    build()
    first = rollup.ensure_fresh(0)
    assert first is not None and rollup.verify() == []
    # Not the merged one (counted nowhere): which row LIMIT 1 finds depends on earlier tests.
    unrated = select(Ticket).where(Ticket.rating.is_(None), Ticket.status != "merged")
    ticket = db.session.scalar(unrated.order_by(Ticket.id).limit(1))
    ticket.rating, ticket.updated_at = "satisfied", utcnow()
    db.session.commit()
    # Recounting the changed day would read more tickets than a page may: figures as they were.
    monkeypatch.setattr(rollup, "READ_REFRESH_TICKETS", 0)
    assert rollup.ensure_fresh(0) == first
    assert rollup.verify() != []
    assert rollup.refresh() == 1  # the periodic job
    assert rollup.verify() == []
    assert rollup.ensure_fresh(0) > first
