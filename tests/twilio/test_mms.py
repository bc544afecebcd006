"""MMS: the photos of an inbound message are fetched from Twilio and kept without EXIF."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.attachments.models import Attachment
from hotline.core.extensions import db
from hotline.tickets.models import Ticket, TicketEvent
from tests.support.images import jpeg_with_gps
from tests.support.twilio import new_sid, twiml


def test_mms_photos_are_attached(app: Any, signed: Any, fake_twilio: Any) -> None:
    base = f"/2010-04-01/Accounts/AC{'0' * 32}/Messages/MM1/Media"
    fake_twilio.media[f"{base}/ME1"] = ("image/jpeg", jpeg_with_gps())
    params = {
        "MessageSid": new_sid("MM"),
        "From": "+8613800000000",
        "Body": "",
        "NumMedia": "2",
        "MediaUrl0": f"{fake_twilio.url}{base}/ME1",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": f"{fake_twilio.url}{base}/missing",
    }
    reply = twiml(signed("/twilio/sms", params)).find("Message").text
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert ticket.number in reply and "彩信" in ticket.description
        [row] = db.session.scalars(select(Attachment)).all()
        assert row.ticket_id == ticket.id and row.source == "mms" and row.public
        assert row.content_type == "image/jpeg"
        notes = db.session.scalars(select(TicketEvent.data).where(TicketEvent.action == "note"))
        assert any("未能获取" in n["text"] for n in notes)
    fetched = [r for r in fake_twilio.requests if r["path"].endswith("/ME1")]
    assert fetched and fetched[0]["auth"].startswith("Basic ")
    # Twilio retrying the webhook fetches nothing twice.
    twiml(signed("/twilio/sms", params))
    assert len([r for r in fake_twilio.requests if r["path"].endswith("/ME1")]) == 1


def test_mms_from_elsewhere_is_not_fetched(app: Any, signed: Any, fake_twilio: Any) -> None:
    params = {"MessageSid": new_sid("MM"), "From": "+8613800000001", "Body": "看图",
              "NumMedia": "1", "MediaUrl0": "http://169.254.169.254/latest/meta-data"}  # fmt: skip
    twiml(signed("/twilio/sms", params))
    with app.app_context():
        assert db.session.scalars(select(Attachment)).all() == []
        assert db.session.scalar(select(Ticket)).description == "看图"
