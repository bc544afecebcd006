"""Review fixes in the consoles: escalation badges, ratings, countdowns, emergencies, actions."""

from __future__ import annotations

from typing import Any

from hotline.extensions import db
from tests.web.conftest import DEPT


def set_fields(app: Any, number: str, **fields: Any) -> None:
    from hotline.tickets.models import Ticket

    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        db.session.remove()


def test_escalation_badge_names_the_supervising_level(app, signin, new_ticket, act_as):
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    set_fields(app, number, escalation_level="city")
    client = signin("agent", DEPT)
    page = client.get(f"/tickets/{number}").text
    assert "督办：市级" in page
    assert ">city<" not in page
    inbox = client.get("/department?state=dispatched").text
    assert "督办：市级" in inbox and ">city<" not in inbox
    set_fields(app, number, escalation_level="district")
    assert "督办：区（市）县级" in client.get(f"/tickets/{number}").text
