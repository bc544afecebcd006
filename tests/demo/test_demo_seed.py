"""``hotline demo seed --tickets N``: a month of realistic tickets, made by the real operations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.core.vocabulary import CHANNELS, STATUSES, TYPES
from hotline.tickets.models import Ticket, TicketEvent


def seed(app, n):
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--tickets", str(n)])
    assert result.exit_code == 0, result.output
    return result


def test_seed_fills_a_month_and_is_idempotent(app, client, staff):
    seed(app, 48)
    with app.app_context():
        tickets = db.session.scalars(select(Ticket).where(Ticket.source_ref.like("demo:%"))).all()
        assert len(tickets) == 48
        assert {t.channel for t in tickets} == set(CHANNELS)
        assert {t.type for t in tickets} == set(TYPES)
        # Reply review (办结审核) is off by default, so no demo ticket waits in `reviewing`.
        assert {t.status for t in tickets} == set(STATUSES) - {"reviewing"}
        districts = {t.org_unit_code[:6] for t in tickets}
        assert len(districts) == 20  # every district of Chengdu
        ages = [utcnow() - t.created_at for t in tickets]
        assert max(ages) <= timedelta(days=30) and max(ages) >= timedelta(days=20)
        assert min(ages) <= timedelta(days=1)
        assert any(t.rating for t in tickets) and any(t.followup_result for t in tickets)
        assert any(len(t.org_unit_code) == 9 for t in tickets)  # some placed at a street
        # Real operations: every state change is an event; escalations were raised by the sweep.
        kinds = set(db.session.scalars(select(TicketEvent.action).distinct()))
        assert {"dispatch", "sign", "resolve", "rate", "overdue", "escalate", "warning"} <= kinds
        numbers = db.session.scalar(select(func.count(func.distinct(Ticket.number))))
        assert numbers == db.session.scalar(select(func.count(Ticket.id)))
    supervisor = staff("supervisor", org_unit="5101")
    overdue = client.get("/api/v1/overdue", headers=supervisor).json
    items = overdue["items"]
    assert items and any(i.get("escalation_level") for i in items), overdue
    # Twice: nothing doubles; a larger N adds only what is missing.
    seed(app, 48)
    with app.app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == 48
    seed(app, 50)
    with app.app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == 50
