"""Abuse: what one phone number receives, and sign-in guessing with and without Redis."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from hotline import create_app
from hotline.extensions import db
from hotline.notifications.models import OutboxMessage
from hotline.notifications.operations import refused_count
from hotline.tickets.models import Ticket
from hotline.timeutil import utcnow

VICTIM = "13900001111"


def test_one_phone_gets_a_bounded_number_of_messages_and_no_ticket_is_lost(app_env, app, caplog):
    limited = create_app(
        {**app_env, "HOTLINE_SMS_PER_PHONE_HOUR": "3", "HOTLINE_SMS_PER_PHONE_DAY": "4"}
    )
    client = limited.test_client()
    numbers = []
    caplog.set_level(logging.WARNING, logger="hotline.notifications.operations")
    for i in range(5):
        body = {"type": "help", "description": f"骚扰测试 {i}", "phone": VICTIM}
        # From many addresses: the per-address limit would not catch this.
        response = client.post(
            "/api/v1/tickets", json=body, environ_base={"REMOTE_ADDR": f"10.1.2.{i}"}
        )
        assert response.status_code == 201
        numbers.append(response.json["number"])
    with limited.app_context():
        assert db.session.scalar(select(db.func.count()).where(Ticket.number.in_(numbers))) == 5
        states = db.session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.to == VICTIM).order_by(OutboxMessage.id)
        ).all()
        assert list(states) == ["pending"] * 3 + ["limited"] * 2
        assert refused_count(VICTIM) == 2
        # An hour later the hourly share is back, but the daily one is not exhausted yet: one
        # more message goes out, then the daily limit refuses.
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.to == VICTIM)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
        db.session.commit()
    for i in range(2):
        body = {"type": "help", "description": f"骚扰测试 {i}", "phone": VICTIM}
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    with limited.app_context():
        states = db.session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.to == VICTIM).order_by(OutboxMessage.id)
        ).all()
        assert list(states[-2:]) == ["pending", "limited"]
        assert refused_count(VICTIM) == 3
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 3
    assert all("139****1111" in line and VICTIM not in line for line in refusals)
