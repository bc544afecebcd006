"""Personal data stays out of the logs: phone numbers masked, SMS texts not written."""

from __future__ import annotations

import logging

from hotline.logmask import MASK, mask_text
from hotline.notifications.models import OutboxMessage
from hotline.notifications.senders import send


def test_phone_numbers_are_masked_wherever_they_appear():
    cases = {
        "SMS to 13812345678": "SMS to 138****5678",
        "GET /api/v1/track/20261126-000001?phone=13812345678": (
            "GET /api/v1/track/20261126-000001?phone=138****5678"
        ),
        "From=%2B8613912345678&Body=x": "From=%2B86139****5678&Body=x",
        "+86 13812345678": "+86 138****5678",
        "duty 028-86612345": "duty 028-****2345",
        "ticket 20261126-000001, outbox 12": "ticket 20261126-000001, outbox 12",
    }
    for raw, masked in cases.items():
        assert mask_text(raw) == masked


def test_the_filter_masks_messages_arguments_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "to %s", ("13812345678",), None)
    try:
        raise ValueError("bad phone 13812345678")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert MASK.filter(record)
    line = logging.Formatter().format(record)
    assert "13812345678" not in line and "138****5678" in line


def test_the_log_sender_writes_neither_the_number_nor_the_text(app, caplog):
    caplog.set_level(logging.INFO, logger="hotline.outbox")
    message = OutboxMessage(
        kind="resident_receipt",
        to="13812345678",
        body="【12345】您的诉求已受理，工单号 20261126-000001。家住玉林北路12号",
        dedup_key="x",
    )
    with app.app_context():
        send(message, app.config["HOTLINE"])
    text = caplog.text
    assert "20261126-000001" in text and "138****5678" in text
    assert "13812345678" not in text and "玉林北路" not in text
