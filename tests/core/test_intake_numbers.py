"""Intake writes: numbers continue after those stored, the trace lives apart, opt-outs skip."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotline.core.extensions import db
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.tickets.models import Ticket, TicketCounter, TicketTrace
from hotline.tickets.operations import create_ticket

BODY = {"type": "complaint", "description": "玉林北路12号门口有人占道经营", "phone": "13812345678"}


def test_a_day_continues_after_the_numbers_already_handed_out(ctx):
    # 2030-05-06 12:00 in Chengdu; 41 numbers of that day were taken before (old counter).
    now = datetime(2030, 5, 6, 4, 0)
    db.session.add(TicketCounter(day="20300506", last=41))
    db.session.commit()
    first = create_ticket(dict(BODY), now=now)
    second = create_ticket(dict(BODY), now=now)
    assert (first.number, second.number) == ("20300506-000042", "20300506-000043")
    # The returned ticket is the stored one, without a reload.
    stored = db.session.scalar(select(Ticket).where(Ticket.number == second.number))
    assert stored is second and stored.status == "received" and stored.version == 1


def test_the_trace_is_kept_apart_and_shown_with_the_ticket(ctx, client, staff):
    operator = staff("operator")
    body = {**BODY, "description": "小区门口天天有人乱停车", "address": "武侯区玉林街道"}
    number = client.post("/api/v1/tickets", json=body).json["number"]
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    assert "trace" not in ticket.routing and ticket.routing["rule"]
    assert db.session.get(TicketTrace, ticket.id).trace
    shown = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    assert shown["routing"]["trace"] == db.session.get(TicketTrace, ticket.id).trace
    route = [e for e in shown["events"] if e["action"] == "route"][0]
    assert "trace" not in route["data"]


def test_an_opted_out_resident_gets_no_receipt(ctx):
    db.session.add(OptOut(phone="13900001111"))
    db.session.commit()
    ticket = create_ticket({**BODY, "phone": "13900001111"})
    other = create_ticket(dict(BODY))
    states = dict(db.session.execute(select(OutboxMessage.ticket_id, OutboxMessage.state)).all())
    assert states == {ticket.id: "skipped", other.id: "pending"}


def test_a_retried_source_ref_is_refused_as_an_integrity_error(ctx):
    # Webhooks retried in parallel rely on it: the second intake of one message fails cleanly.
    first = create_ticket(dict(BODY), "sms", extra={"source_ref": "SM-retried"})
    with pytest.raises(IntegrityError):
        create_ticket(dict(BODY), "sms", extra={"source_ref": "SM-retried"})
    db.session.rollback()
    again = create_ticket(dict(BODY), "sms")
    assert again.number > first.number
    stored = db.session.scalars(select(Ticket.source_ref).order_by(Ticket.id)).all()
    assert stored == ["SM-retried", None]


def test_the_receipt_names_the_number_and_the_route_follows_the_creation(ctx):
    ticket = create_ticket({**BODY, "address": "武侯区玉林街道"})
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.ticket_id == ticket.id))
    assert body.count(ticket.number) == 2  # the text and the tracking link
    assert [e.action for e in ticket.events] == ["create", "route"]
    assert ticket.events[1].data == ticket.routing


def test_local_day_follows_midnight_and_summer_time_in_any_zone() -> None:
    from datetime import datetime, timedelta

    from hotline.core.timeutil import to_local
    from hotline.tickets.numbers import local_day

    for tz in ("Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC"):
        moment = datetime(2026, 3, 1)
        while moment < datetime(2026, 11, 10):  # both of 2026's summer-time changes
            expected = to_local(moment, tz).strftime("%Y%m%d")  # type: ignore[union-attr]
            assert local_day(moment, tz) == expected, (moment, tz)
            moment += timedelta(minutes=37)
