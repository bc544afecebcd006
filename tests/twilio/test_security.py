"""Signatures: wrong or missing is 403 and changes nothing; no token refuses all."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from hotline.twilio.models import CallSession
from tests.support.twilio import PUBLIC, TOKEN, new_sid

SMS = {"MessageSid": "SM" + "1" * 32, "From": "+8613800000000", "Body": "乱停车"}


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_missing_or_wrong_signature_is_403_and_changes_nothing(
    app: Any, client: Any, signed: Any
) -> None:
    assert client.post("/twilio/sms", data=SMS).status_code == 403
    assert signed("/twilio/sms", SMS, token="not-the-token").status_code == 403
    bad = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", {**SMS, "Body": "x"})
    assert (
        client.post("/twilio/sms", data=SMS, headers={"X-Twilio-Signature": bad}).status_code == 403
    )
    call = {"CallSid": new_sid("CA"), "From": "+8613800000000", "CallStatus": "completed"}
    assert client.post("/twilio/voice/status", data=call).status_code == 403
    assert _count(app, Ticket) == 0 and _count(app, CallSession) == 0
    assert signed("/twilio/sms", SMS).status_code == 200
    assert _count(app, Ticket) == 1


def test_no_token_refuses_everything_and_says_why(app: Any, configure: Any, caplog: Any) -> None:
    configure(twilio_auth_token=None, twilio_dev_mode=False)
    # Alembic's fileConfig (run by the app fixture's upgrade) disables loggers that existed.
    logging.getLogger("hotline.twilio").disabled = False
    signature = RequestValidator("anything").compute_signature(PUBLIC + "/twilio/sms", SMS)
    with caplog.at_level(logging.ERROR, logger="hotline.twilio"):
        response = app.test_client().post(
            "/twilio/sms", data=SMS, headers={"X-Twilio-Signature": signature}
        )
    assert response.status_code == 403
    assert "TWILIO_AUTH_TOKEN is not set" in caplog.text
    assert _count(app, Ticket) == 0


def test_dev_mode_without_token_accepts(app: Any, configure: Any) -> None:
    configure(twilio_auth_token=None, twilio_dev_mode=True)
    assert app.test_client().post("/twilio/sms", data=SMS).status_code == 200
    assert _count(app, Ticket) == 1


def test_forwarded_url_when_no_public_url(app: Any, configure: Any) -> None:
    configure(twilio_auth_token=TOKEN, public_url=None)
    url = "https://hotline.example.cn/twilio/sms"
    signature = RequestValidator(TOKEN).compute_signature(url, SMS)
    headers = {
        "X-Twilio-Signature": signature,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "hotline.example.cn",
    }
    client = app.test_client()
    assert client.post("/twilio/sms", data=SMS, headers=headers).status_code == 200
    headers["X-Forwarded-Host"] = "evil.example.com"
    assert client.post("/twilio/sms", data=SMS, headers=headers).status_code == 403
