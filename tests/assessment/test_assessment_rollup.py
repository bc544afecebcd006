"""The assessment read from the aggregates equals a recount of the raw tables, step by step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from hotline.assessment import operations, recount, rolled
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.sla.models import SlaMark
from hotline.stats import rollup
from hotline.stats.models import DEDUCTED, StatsWatermark
from hotline.tickets.models import Ticket, TicketEvent
from tests.assessment.test_assessment import TEST_SCHEME
from tests.stats.test_rollup_sequence import DEPT, OTHER, act, backdate, rate
from tests.support.stats import JINJIANG_URBAN, TZ, assert_rebuild_changes_nothing, at, put, today


def _months() -> list[str]:
    first = today().replace(day=1)
    earlier = [(first - timedelta(days=n)).strftime("%Y-%m") for n in (1, 40, 70, 100)]
    return [first.strftime("%Y-%m"), *earlier]


def _ticket(number: str) -> Ticket:
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    assert ticket is not None
    return ticket


def agrees(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refresh, then check every level and month against the raw tables as of the watermark."""
    with app.app_context():
        rollup.refresh()
        assert rollup.verify() == []
        as_of = db.session.get(StatsWatermark, rollup.NAME).as_of
        for month in _months():
            w = operations.month_window(month, TZ)
            for level in operations.LEVELS:
                assert rolled.counts(level, month) == recount.counts(level, w, as_of)
                raw_deducted = recount.deductions(level, w)
                assert rolled.deductions(level, month) == {
                    k: {d: v.get(d, 0) for d in DEDUCTED} for k, v in raw_deducted.items()
                }
                from_rollup = operations.month_rows(level, month, TZ, as_of, TEST_SCHEME)
                with monkeypatch.context() as patched:
                    patched.setattr(operations, "fresh_as_of", lambda: None)
                    raw = operations.month_rows(level, month, TZ, as_of, TEST_SCHEME)
                assert from_rollup == raw
        db.session.remove()


def mark(number: str, step: str = "resolve", when: Any = None) -> None:
    """Give ``number`` a red card (an overdue mark), made ``when`` (now by default)."""
    now = utcnow()
    db.session.add(SlaMark(ticket_id=_ticket(number).id, step=step, kind="overdue",
                           level="district", round=now, created_at=when or now))  # fmt: skip
    db.session.commit()


def verdict(number: str, action: str, approve: Any, when: Any = None) -> None:
    """Record a review verdict on ``number`` (a refusal when ``approve`` is False)."""
    db.session.add(TicketEvent(ticket_id=_ticket(number).id, action=action, actor="审核员",
                               at=when or utcnow(), data={"approve": approve, "reason": "x"}))  # fmt: skip
    db.session.commit()


def move(number: str, **values: Any) -> None:
    """Change a ticket's columns directly (a transfer, a new place, an emergency)."""
    db.session.execute(
        update(Ticket).where(Ticket.number == number).values(updated_at=utcnow(), **values)
    )
    db.session.commit()


def test_the_assessment_follows_a_month_of_changes(app, client, new_ticket, staff, monkeypatch):
    # No look-back for late commits: a day is recounted only for what changed since the last run.
    monkeypatch.setattr(rollup, "SLACK", timedelta(0))
    monkeypatch.setattr(rollup, "SKEW", timedelta(0))
    operator, agent = staff("operator"), staff("agent", department=DEPT)
    city = staff("supervisor", org_unit="5101")
    numbers = [new_ticket() for _ in range(6)]
    jinjiang = new_ticket(community_code="510104017001")
    with app.app_context():
        put("OLD", at(today() - timedelta(days=40), 10), "510104017001", JINJIANG_URBAN)
        db.session.commit()
    agrees(app, monkeypatch)
    for number in numbers:
        act(client, number, operator, action="dispatch", department=DEPT)
    act(client, jinjiang, operator, action="dispatch", department=OTHER)
    a, b, c, d, e, f = numbers
    for number in (a, b, c, d):
        act(client, number, agent, action="sign")
        act(client, number, agent, action="resolve", reply="已处理")
    agrees(app, monkeypatch)
    # Tickets of earlier months rated and reopened now; red cards and verdicts of today.
    with app.app_context():
        backdate(b, 45)
        backdate(c, 80)
        mark(a)
        mark(b, step="sign")
        verdict(c, "review_request", False)
        verdict(d, "review_reply", False)
        verdict(d, "review_reply", True)
        verdict(jinjiang, "review_request", "false")  # not a JSON false: no deduction
    rate(client, a, "satisfied")
    rate(client, b, "unsatisfied", reopen=True)
    rate(client, c, "basically_satisfied")
    agrees(app, monkeypatch)
    # A red card stamped late for an earlier day; the ticket is transferred, its cards follow.
    with app.app_context():
        mark(c, when=utcnow() - timedelta(days=50))
        move(c)
        move(a, department_code=OTHER, scope_code="510104")
        move(b, org_unit_code="510104017001")
    agrees(app, monkeypatch)
    act(client, b, agent, action="sign")
    act(client, b, agent, action="resolve", reply="再次处理")
    rate(client, b, "satisfied")
    act(client, c, city, action="exclude_rating", reason="不合理诉求")
    act(client, f, operator, action="merge", into=e)
    agrees(app, monkeypatch)
    # A verdict of weeks ago follows its ticket to another department.
    with app.app_context():
        verdict("OLD", "review_reply", False, when=utcnow() - timedelta(days=20))
        move("OLD", department_code=DEPT, scope_code="510107")
    agrees(app, monkeypatch)
    # The SLA sweep's card, then a verdict, alone: the ticket itself left as it was.
    with app.app_context():
        mark("OLD")
    agrees(app, monkeypatch)
    with app.app_context():
        verdict("OLD", "review_request", False)
    agrees(app, monkeypatch)
    # An emergency handed to 110 leaves the counts (its red cards stay, as the raw count's).
    with app.app_context():
        mark(e)
        move(e, emergency=True)
    agrees(app, monkeypatch)
    with app.app_context():
        assert_rebuild_changes_nothing()
