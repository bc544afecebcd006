"""Inbound SMS: tickets, idempotency, notes, status queries, ratings, opt-out, emergencies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.notifications.operations import queue_message
from hotline.org.models import Department
from hotline.tickets.models import Ticket, TicketEvent
from tests.support.twilio import new_sid, twiml

PHONE = "+8613800000000"


def text(signed: Any, body: str, sender: str = PHONE, sid: str | None = None) -> str:
    root = twiml(
        signed("/twilio/sms", {"MessageSid": sid or new_sid("SM"), "From": sender, "Body": body})
    )
    messages = root.findall("Message")
    assert len(messages) == 1, root
    return messages[0].text or ""


def tickets(app: Any) -> list[Ticket]:
    with app.app_context():
        found = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
        db.session.expunge_all()
        return list(found)


def test_new_message_opens_ticket_and_reply_gives_number(app: Any, signed: Any) -> None:
    reply = text(signed, "小区门口有人乱停车")
    [ticket] = tickets(app)
    assert ticket.channel == "sms" and ticket.phone == "13800000000"
    assert ticket.number in reply and "/track?number=" in reply
    with app.app_context():
        states = db.session.scalars(select(OutboxMessage.state)).all()
    # The reply already gave the number: the outbox receipt is not sent a second time.
    assert states == ["skipped"]


def test_same_message_sid_twice_gives_same_answer_and_one_ticket(app: Any, signed: Any) -> None:
    sid = new_sid("SM")
    first = text(signed, "路灯坏了好几天", sid=sid)
    second = text(signed, "路灯坏了好几天", sid=sid)
    assert first == second
    assert len(tickets(app)) == 1


def test_follow_up_text_is_a_note_on_the_open_ticket(app: Any, signed: Any, configure: Any) -> None:
    text(signed, "楼下餐馆油烟很大")
    reply = text(signed, "补充：每天晚上十点以后最严重")
    [ticket] = tickets(app)
    assert ticket.number in reply and "补充" in reply
    with app.app_context():
        notes = db.session.scalars(
            select(TicketEvent.data).where(TicketEvent.action == "resident_note")
        ).all()
    assert notes[0]["text"] == "补充：每天晚上十点以后最严重"
    # Older than the merge window: a new ticket.
    with app.app_context():
        db.session.get(Ticket, ticket.id).created_at -= timedelta(hours=25)
        db.session.commit()
    text(signed, "另一件事：公园的健身器材坏了")
    assert len(tickets(app)) == 2
    configure(sms_merge_hours=0)
    text(signed, "第三件事：垃圾没人收")
    assert len(tickets(app)) == 3


def test_status_query_only_for_the_phone_that_raised_it(app: Any, signed: Any) -> None:
    text(signed, "人行道上的井盖丢了")
    number = tickets(app)[0].number
    assert "已受理" in text(signed, f"查询{number}")
    assert number in text(signed, f"cx {number}")
    assert "已受理" in text(signed, f"查询 {number.replace('-', '')}")
    assert "已受理" in text(signed, "查询")  # no number: the latest ticket of this phone
    assert "没有找到" in text(signed, f"STATUS {number}", sender="+8613900000000")
    assert "没有找到" in text(signed, "查询20990101-999999")


def _resolve(app: Any, number: str) -> None:
    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        ticket.status = "resolved"
        ticket.department_code = db.session.scalars(select(Department.code)).first()
        ticket.resolved_at = ticket.created_at
        db.session.commit()


def test_ratings_rate_the_latest_resolved_ticket(app: Any, signed: Any) -> None:
    assert "没有待评价" in text(signed, "1")
    text(signed, "噪音扰民")
    number = tickets(app)[0].number
    _resolve(app, number)
    assert "满意" in text(signed, "1")
    assert tickets(app)[0].rating == "satisfied"
    assert "没有待评价" in text(signed, "2")


def test_unsatisfied_reopens(app: Any, signed: Any) -> None:
    text(signed, "道路坑洼")
    number = tickets(app)[0].number
    _resolve(app, number)
    assert "重新交办" in text(signed, "3")
    assert tickets(app)[0].status == "dispatched"


def test_td_opts_out_and_outbox_skips(app: Any, signed: Any) -> None:
    assert "退订" in text(signed, "TD")
    assert "退订" in text(signed, "stop")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OptOut)) == 1
        message_id = queue_message("resident_followup", "13800000000", "hi", "k1")
        assert db.session.get(OutboxMessage, message_id).state == "skipped"
        db.session.commit()


def test_emergency_gets_emergency_reply_and_a_ticket(app: Any, signed: Any) -> None:
    reply = text(signed, "我家着火了，火很大，有人被困")
    [ticket] = tickets(app)
    if not (ticket.routing or {}).get("emergency"):
        raise AssertionError(f"router did not flag the emergency: {ticket.routing}")
    assert "110" in reply and ticket.number in reply


def test_bad_sender_and_empty_body(app: Any, signed: Any) -> None:
    assert "中国大陆" in text(signed, "hello", sender="+14155550100")
    assert "诉求内容" in text(signed, "   ")
    assert tickets(app) == []
    root = twiml(signed("/twilio/sms", {"Body": "no sid"}))
    assert root.find("Message") is not None


def test_emergency_from_a_number_with_an_open_ticket_is_not_folded_into_it(
    app: Any, signed: Any
) -> None:
    text(signed, "小区门口有人乱停车")
    reply = text(signed, "救命，楼下着火了，有人被困")
    first, second = tickets(app)
    assert (second.routing or {}).get("emergency"), second.routing
    assert "119" in reply and second.number in reply
    with app.app_context():
        notes = db.session.scalars(
            select(TicketEvent.id).where(TicketEvent.action == "resident_note")
        ).all()
    assert notes == []
