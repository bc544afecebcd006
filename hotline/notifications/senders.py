"""Deliver one outbox message: by Twilio SMS when configured, otherwise to the log."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from hotline.config import Settings
from hotline.notifications.models import OutboxMessage
from hotline.tickets.phones import mask

log = logging.getLogger("hotline.outbox")
_TICKET = re.compile(r"\b\d{8}-\d{6}\b")


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
        from hotline.notifications.twilio_sms import send_sms

        return send_sms(message, settings)
    # The text is the resident's business: log the ticket it concerns and its length only.
    about = ", ".join(_TICKET.findall(message.body)) or "-"
    log.info(
        "SMS to %s [%s] about %s: %d characters",
        mask(message.to),
        message.kind,
        about,
        len(message.body),
    )
    return SendResult(sid=None, status="logged")
