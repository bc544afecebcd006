"""Emergency callers put through to 110 with <Dial> when the centre has a transfer number."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.notifications.models import OutboxMessage
from tests.twilio.test_voice import Call, says, the_ticket

TRANSFER = "+862887654110"


def test_star_key_puts_an_emergency_caller_through_to_110(signed: Any, configure: Any) -> None:
    configure(interop_110_transfer_number=TRANSFER)
    call = Call(signed)
    greeting = call.step("/twilio/voice")
    assert "星号键" in says(greeting)
    root = call.step("/twilio/voice/menu", Digits="*")
    assert "转接110" in says(root)
    assert root.find("Dial/Number").text == TRANSFER


def test_star_key_does_nothing_without_a_transfer_number(signed: Any) -> None:
    call = Call(signed)
    assert "星号键" not in says(call.step("/twilio/voice"))
    root = call.step("/twilio/voice/menu", Digits="*")
    assert root.find("Dial") is None


def test_an_emergency_told_by_speech_is_recorded_pushed_and_put_through(
    app: Any, signed: Any, configure: Any
) -> None:
    configure(interop_110_transfer_number=TRANSFER)
    call = Call(signed)
    call.step("/twilio/voice")
    call.step("/twilio/voice/menu", Digits="1")
    call.step("/twilio/voice/type", Digits="2")
    call.step("/twilio/voice/matter", SpeechResult="街上有人拿刀砍人", Confidence="0.9")
    root = call.step("/twilio/voice/place", SpeechResult="锦江区春熙路", Confidence="0.8")
    ticket = the_ticket(app)
    assert ticket.routing["emergency"]
    assert root.find("Dial/Number").text == TRANSFER and root.find("Hangup") is None
    with app.app_context():
        kinds = set(db.session.scalars(select(OutboxMessage.kind)))
    assert "interop_110_emergency" in kinds


def test_an_emergency_sms_reaches_the_110_platform_once_though_the_first_push_fails(
    app: Any, signed: Any, configure: Any
) -> None:
    from tests.interop.fake_110 import Fake110
    from tests.interop.test_110 import _time_passes, _work
    from tests.support.twilio import new_sid, twiml

    with Fake110() as fake:
        configure(interop_110_push_url=fake.url, interop_110_push_key="k", interop_110_timeout=2)
        fake.fail_next = 1
        body = {"MessageSid": new_sid("SM"), "From": "+8613800002222", "Body": "街上有人拿刀砍人"}
        reply = twiml(signed("/twilio/sms", body))
        assert "110" in "".join(reply.itertext())
        for _ in range(3):  # the first push fails; the outbox retries; nothing is sent twice
            _work(app)
            _time_passes(app)
        _work(app)
        assert len(fake.requests) == 2
        [record] = fake.filed.values()
        assert record["record_type"] == "emergency" and record["channel"] == "sms"
        assert record["description"] == "街上有人拿刀砍人"
