"""Deliver one outbox message: by Twilio SMS when configured, otherwise to the log."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline.core.config import Settings
from hotline.notifications.models import OutboxMessage

log = logging.getLogger("hotline.outbox")


@dataclass(frozen=True)
class SendResult:
    """What the provider said: its message id and status."""

    sid: str | None
    status: str


class SendError(Exception):
    """The provider refused or could not be reached; the message will be retried."""


def send(message: OutboxMessage, settings: Settings) -> SendResult:
    """Send ``message`` through the configured channel."""
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number:
        from hotline.twilio.sender import send_sms

        return send_sms(message, settings)
    log.info("SMS to %s [%s]: %s", message.to, message.kind, message.body)
    return SendResult(sid=None, status="logged")
