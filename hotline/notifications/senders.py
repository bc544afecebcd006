"""Deliver one outbox message: through the first channel configured to send, else to the log."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline.channels import sender_for
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
    sender = sender_for(settings, message.kind)
    if sender is not None:
        return sender(message, settings)
    log.info("SMS to %s [%s]: %s", message.to, message.kind, message.body)
    return SendResult(sid=None, status="logged")
