"""Outbound SMS through the real twilio client to a fake Twilio: success, 500, timeout, retries."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from rq import SimpleWorker
from sqlalchemy import update

from hotline.core.extensions import db, redis_store
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OutboxMessage
from hotline.notifications.operations import queue_message
from hotline.notifications.tasks import send_message
from hotline.tasks.queues import NOTIFICATIONS, get_queue
from hotline.twilio.tasks import apply_sms_status


def _queue(app: Any, key: str = "m1") -> int:
    with app.app_context():
        message_id = queue_message("resident_receipt", "13800000000", "【12345】测试短信", key)
        db.session.commit()
        return message_id


def _row(app: Any, message_id: int) -> OutboxMessage:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge(row)
        return row


def _time_passes(app: Any, message_id: int) -> None:
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_worker_sends_with_the_twilio_client(app: Any, fake_twilio: Any) -> None:
    message_id = _queue(app)
    with app.app_context():
        worker = SimpleWorker([get_queue(NOTIFICATIONS)], connection=redis_store.client)
        worker.work(burst=True)
    [request] = fake_twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/AC{'0' * 32}/Messages.json"
    assert request["form"]["To"] == "+8613800000000"
    assert request["form"]["From"] == "+15005550006"
    assert request["form"]["Body"] == "【12345】测试短信"
    assert request["form"]["StatusCallback"] == "http://hotline.test/twilio/sms/status"
    user, _, token = base64.b64decode(request["auth"].split()[1]).decode().partition(":")
    assert user == "AC" + "0" * 32 and token
    row = _row(app, message_id)
    assert (row.state, row.attempts, row.provider_status) == ("sent", 1, "queued")
    assert row.provider_sid.startswith("SM")


def test_http_500_is_retried_with_back_off(app: Any, fake_twilio: Any) -> None:
    message_id = _queue(app)
    fake_twilio.mode = "fail"
    before = utcnow()
    assert send_message(message_id) == "failed"
    row = _row(app, message_id)
    assert (row.state, row.attempts) == ("failed", 1) and "500" in row.last_error
    assert timedelta(seconds=29) <= row.next_attempt_at - before <= timedelta(seconds=32)
    assert send_message(message_id) == "skipped"  # not due yet: no second request
    assert len(fake_twilio.requests) == 1
    _time_passes(app, message_id)
    before = utcnow()
    assert send_message(message_id) == "failed"
    row = _row(app, message_id)
    assert row.attempts == 2
    assert timedelta(seconds=59) <= row.next_attempt_at - before <= timedelta(seconds=62)
    fake_twilio.mode = "ok"
    _time_passes(app, message_id)
    assert send_message(message_id) == "sent"
    row = _row(app, message_id)
    assert (row.state, row.attempts, row.last_error) == ("sent", 3, None)
    assert len(fake_twilio.requests) == 3


def test_timeout_is_retried(app: Any, fake_twilio: Any) -> None:
    message_id = _queue(app)
    fake_twilio.mode, fake_twilio.hang_seconds = "hang", 3
    assert send_message(message_id) == "failed"
    row = _row(app, message_id)
    assert row.state == "failed" and "timed out" in row.last_error.lower()
    fake_twilio.mode = "ok"
    _time_passes(app, message_id)
    assert send_message(message_id) == "sent"


def test_delivery_callbacks_update_the_row_out_of_order_safe(
    app: Any, fake_twilio: Any, signed: Any
) -> None:
    first, second = _queue(app, "a"), _queue(app, "b")
    assert send_message(first) == "sent" and send_message(second) == "sent"
    sid = _row(app, first).provider_sid
    for status in ("delivered", "sent"):  # the late 'sent' must not undo 'delivered'
        form = {"MessageSid": sid, "MessageStatus": status}
        assert signed("/twilio/sms/status", form).status_code == 204
    row = _row(app, first)
    assert (row.state, row.provider_status) == ("delivered", "delivered")
    form = {"MessageSid": _row(app, second).provider_sid, "MessageStatus": "undelivered",
            "ErrorCode": "30003"}  # fmt: skip
    assert signed("/twilio/sms/status", form).status_code == 204
    row = _row(app, second)
    assert row.provider_status == "undelivered" and "30003" in row.last_error
    assert signed("/twilio/sms/status", {"MessageSid": "SMnope"}).status_code == 400


def test_status_before_the_sid_is_stored_is_applied_later(
    app: Any, fake_twilio: Any, signed: Any
) -> None:
    message_id = _queue(app)
    form = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}
    assert signed("/twilio/sms/status", form).status_code == 204
    with app.app_context():
        [job] = get_queue(NOTIFICATIONS).scheduled_job_registry.get_job_ids()
        assert apply_sms_status(form["MessageSid"], "delivered", None, 1) is False
        db.session.get(OutboxMessage, message_id).provider_sid = form["MessageSid"]
        db.session.commit()
        assert apply_sms_status(form["MessageSid"], "delivered", None, 2) is True
    assert _row(app, message_id).state == "delivered"
