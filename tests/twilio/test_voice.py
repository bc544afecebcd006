"""The voice flow, step by step, with every TwiML answer parsed and checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.notifications.models import OutboxMessage
from hotline.tickets.models import Ticket, TicketEvent
from hotline.twilio.models import CallRecording, CallSession
from tests.support.twilio import new_sid, twiml

CALLER = "+8613812345678"


class Call:
    """One simulated call: posts each step with the same CallSid and parses the answer."""

    def __init__(self, signed: Any, caller: str = CALLER) -> None:
        self.signed, self.sid, self.caller = signed, new_sid("CA"), caller

    def step(self, path: str, **params: str) -> ET.Element:
        return twiml(self.signed(path, {"CallSid": self.sid, "From": self.caller, **params}))


def says(root: ET.Element) -> str:
    return " ".join(el.text or "" for el in root.iter("Say"))


def the_ticket(app: Any) -> Ticket:
    with app.app_context():
        [ticket] = db.session.scalars(select(Ticket)).unique().all()
        db.session.expunge_all()
        return ticket


def test_greeting_emergency_first_mandarin_and_english_offer(signed: Any) -> None:
    root = Call(signed).step("/twilio/voice")
    gather = root.find("Gather")
    assert gather is not None and gather.get("action") == "/twilio/voice/menu"
    assert gather.get("numDigits") == "1"
    first, *rest = gather.findall("Say")
    assert "110、119、120、122" in first.text and first.get("language") == "cmn-CN"
    assert any(s.get("language") == "en-US" and "press 9" in s.text for s in rest)
    assert root.find("Redirect").text == "/twilio/voice/menu"


def test_english_on_key_press(signed: Any) -> None:
    call = Call(signed)
    call.step("/twilio/voice")
    root = call.step("/twilio/voice/menu", Digits="9")
    [say] = root.find("Gather").findall("Say")
    assert say.get("language") == "en-US" and "press 1" in say.text
    root = call.step("/twilio/voice/menu", Digits="1")
    assert root.find("Gather/Say").get("language") == "en-US"


def test_new_request_by_speech_reads_number_and_queues_sms(app: Any, signed: Any) -> None:
    call = Call(signed)
    call.step("/twilio/voice")
    root = call.step("/twilio/voice/menu", Digits="1")
    assert root.find("Gather").get("action") == "/twilio/voice/type"
    root = call.step("/twilio/voice/type", Digits="4")
    gather = root.find("Gather")
    assert gather.get("input") == "speech" and gather.get("language") == "cmn-Hans-CN"
    assert gather.get("action") == "/twilio/voice/matter"
    root = call.step("/twilio/voice/matter", SpeechResult="小区门口有人占道经营", Confidence="0.9")
    assert root.find("Gather").get("action") == "/twilio/voice/place"
    place = {"SpeechResult": "武侯区玉林北路12号", "Confidence": "0.8"}
    root = call.step("/twilio/voice/place", **place)
    ticket = the_ticket(app)
    assert (ticket.type, ticket.channel, ticket.source_ref) == ("complaint", "phone", call.sid)
    assert ticket.description == "小区门口有人占道经营"
    assert ticket.address == "武侯区玉林北路12号" and ticket.phone == "13812345678"
    assert " ".join(ticket.number.replace("-", "")) in says(root)
    assert root.find("Hangup") is not None
    # Twilio retries the step: same answer, still one ticket.
    again = call.step("/twilio/voice/place", **place)
    assert ET.tostring(again) == ET.tostring(root)
    assert the_ticket(app).id == ticket.id
    with app.app_context():
        [sms] = db.session.scalars(select(OutboxMessage)).all()
    assert sms.kind == "resident_receipt" and ticket.number in sms.body and "track" in sms.body


def test_speech_not_understood_falls_back_to_recording(app: Any, signed: Any) -> None:
    call = Call(signed)
    call.step("/twilio/voice")
    call.step("/twilio/voice/menu", Digits="1")
    call.step("/twilio/voice/type", Digits="2")
    root = call.step("/twilio/voice/matter", SpeechResult="", Confidence="0.0")
    record = root.find("Record")
    assert record.get("action") == "/twilio/voice/matter-recorded"
    assert record.get("recordingStatusCallback") == "/twilio/recording"
    rec_sid, url = new_sid("RE"), "https://api.twilio.com/rec/1"
    # The status callback may come first, before any ticket exists.
    assert signed("/twilio/recording", {"CallSid": call.sid, "RecordingSid": rec_sid,
                  "RecordingUrl": url, "RecordingStatus": "completed",
                  "RecordingDuration": "12"}).status_code == 204  # fmt: skip
    root = call.step("/twilio/voice/matter-recorded", RecordingUrl=url, RecordingSid=rec_sid)
    assert root.find("Gather").get("input") == "speech"
    call.step("/twilio/voice/place", SpeechResult="")
    ticket = the_ticket(app)
    assert ticket.type == "help" and ticket.address is None
    with app.app_context():
        [rec] = db.session.scalars(select(CallRecording)).all()
        assert (rec.ticket_id, rec.duration, rec.status) == (ticket.id, 12, "completed")
        [event] = db.session.scalars(
            select(TicketEvent).where(TicketEvent.action == "recording")
        ).all()
        assert event.data["url"] == url


def test_status_lookup_by_keys(app: Any, signed: Any, new_ticket: Any) -> None:
    number = new_ticket(phone="13812345678")
    call = Call(signed)
    call.step("/twilio/voice")
    root = call.step("/twilio/voice/menu", Digits="2")
    gather = root.find("Gather")
    assert gather.get("numDigits") == "14" and gather.get("action") == "/twilio/voice/lookup"
    root = call.step("/twilio/voice/lookup", Digits=number.replace("-", ""))
    assert "已受理" in says(root)
    assert "没有找到" in says(Call(signed, "+8613900000000").step(
        "/twilio/voice/lookup", Digits=number.replace("-", "")))  # fmt: skip
    assert "14位" in says(call.step("/twilio/voice/lookup", Digits="12*#"))


def test_operator_in_office_hours_dials_with_ticket_open(
    app: Any, signed: Any, configure: Any
) -> None:
    configure(twilio_operator_number="+8628123456", office_hours=(0, 24 * 60))
    call = Call(signed)
    root = call.step("/twilio/voice/menu", Digits="0")
    dial = root.find("Dial")
    assert dial.find("Number").text == "+8628123456"
    assert dial.get("action") == "/twilio/voice/dial-done"
    ticket = the_ticket(app)
    assert (ticket.status, ticket.channel, ticket.source_ref) == ("received", "phone", call.sid)
    root = call.step("/twilio/voice/dial-done", DialCallStatus="no-answer")
    assert root.find("Record").get("action") == "/twilio/voice/message"
    # The message left instead becomes that ticket's content, with its recording's length.
    rec = {"RecordingUrl": "https://x/rec", "RecordingSid": new_sid("RE"), "RecordingDuration": "9"}
    call.step("/twilio/voice/message", **rec)
    ticket = the_ticket(app)
    assert (ticket.type, ticket.description) == ("help", "（来电留言，请听录音）")
    with app.app_context():
        [recording] = db.session.scalars(select(CallRecording)).all()
        assert recording.duration == 9


def test_after_hours_message_becomes_ticket(app: Any, signed: Any, configure: Any) -> None:
    configure(twilio_operator_number="+8628123456", office_hours=(0, 1))
    call = Call(signed)
    root = call.step("/twilio/voice/menu", Digits="0")
    assert root.find("Dial") is None and root.find("Record") is not None
    root = call.step(
        "/twilio/voice/message", RecordingUrl="https://x/rec", RecordingSid=new_sid("RE")
    )
    ticket = the_ticket(app)
    assert ticket.channel == "phone" and " ".join(ticket.number.replace("-", "")) in says(root)


def test_call_status_callbacks_out_of_order(app: Any, signed: Any) -> None:
    sid = new_sid("CA")
    for status, duration in (("completed", "42"), ("ringing", ""), ("in-progress", "")):
        form = {"CallSid": sid, "From": CALLER, "CallStatus": status, "CallDuration": duration}
        assert signed("/twilio/voice/status", form).status_code == 204
    with app.app_context():
        session = db.session.scalar(select(CallSession).where(CallSession.call_sid == sid))
        assert (session.call_status, session.duration) == ("completed", 42)


def test_bad_steps_get_spoken_answers(signed: Any) -> None:
    call = Call(signed)
    assert call.step("/twilio/voice/menu", Digits="7").find("Gather") is not None
    assert "按键无效" in says(call.step("/twilio/voice/type", Digits="x"))
    # Third strike (a place before any matter): a polite goodbye.
    root = call.step("/twilio/voice/place", SpeechResult="?")
    assert root.find("Gather") is None and root.find("Hangup") is not None
    assert "系统繁忙" in says(twiml(signed("/twilio/voice/nowhere", {"CallSid": "CA1"})))
    assert "系统繁忙" in says(twiml(signed("/twilio/voice", {})))


def test_foreign_and_hidden_callers_get_no_sms_and_no_lookup_by_number(
    app: Any, signed: Any
) -> None:
    """A foreign number must not pass for a Chinese mobile; hidden callers share no identity."""
    call = Call(signed, "+14155550100")
    call.step("/twilio/voice")
    call.step("/twilio/voice/menu", Digits="1")
    call.step("/twilio/voice/type", Digits="4")
    call.step("/twilio/voice/matter", SpeechResult="小区门口有人占道经营", Confidence="0.9")
    root = call.step("/twilio/voice/place", SpeechResult="武侯区玉林北路12号", Confidence="0.8")
    ticket = the_ticket(app)
    assert ticket.phone == "+14155550100"
    assert "短信" not in says(root)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
    number = ticket.number.replace("-", "")
    for caller in ("+14155550100", "anonymous", "Restricted"):
        root = Call(signed, caller).step("/twilio/voice/lookup", Digits=number)
        assert "已受理" not in says(root) and "手机来电" in says(root), caller


def test_hanging_up_before_the_place_keeps_the_matter(app: Any, signed: Any) -> None:
    call = Call(signed)
    call.step("/twilio/voice")
    call.step("/twilio/voice/menu", Digits="1")
    call.step("/twilio/voice/type", Digits="2")
    call.step("/twilio/voice/matter", SpeechResult="我家楼道的灯坏了一个月了", Confidence="0.9")
    with app.app_context():
        assert db.session.scalars(select(Ticket)).all() == []
    form = {"CallSid": call.sid, "From": CALLER, "CallStatus": "completed", "CallDuration": "31"}
    assert signed("/twilio/voice/status", form).status_code == 204
    ticket = the_ticket(app)
    assert (ticket.type, ticket.description, ticket.source_ref) == (
        "help",
        "我家楼道的灯坏了一个月了",
        call.sid,
    )
    # The callback again (Twilio retries): still one ticket.
    assert signed("/twilio/voice/status", form).status_code == 204
    assert the_ticket(app).id == ticket.id
