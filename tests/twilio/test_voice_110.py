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
