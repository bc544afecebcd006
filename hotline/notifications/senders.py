"""Deliver one outbox message: through the first channel configured to send, else to the log."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from hotline.channels import sender_for
from hotline.core.config import Settings
from hotline.core.phones import mask
from hotline.notifications.models import OutboxMessage

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
    sender = sender_for(settings, message.kind)
    if sender is not None:
        return sender(message, settings)
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
