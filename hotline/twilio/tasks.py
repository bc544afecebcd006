"""RQ jobs of the Twilio webhooks: apply a delivery status that arrived before its send finished."""

from __future__ import annotations

import logging
from datetime import timedelta

from hotline.tasks.app import with_app
from hotline.tasks.queues import NOTIFICATIONS, get_queue
from hotline.twilio.operations import record_sms_status

log = logging.getLogger("hotline.twilio")
MAX_TRIES = 5
WAIT = timedelta(seconds=30)


def apply_later(sid: str, status: str, error_code: str | None, tries: int = 0) -> None:
    """Try the status again soon; Twilio can call back before the worker stored the sid."""
    if tries >= MAX_TRIES:
        log.warning("status %s for unknown message %s dropped", status, sid)
        return
    try:
        get_queue(NOTIFICATIONS).enqueue_in(
            WAIT, apply_sms_status, sid, status, error_code, tries + 1
        )
    except Exception as exc:  # Redis down: the status is lost, the message itself is not.
        log.warning("could not defer status %s of %s: %s", status, sid, exc)


@with_app
def apply_sms_status(sid: str, status: str, error_code: str | None, tries: int) -> bool:
    """Apply a deferred delivery status; safe twice (statuses only move forward)."""
    if record_sms_status(sid, status, error_code):
        return True
    apply_later(sid, status, error_code, tries)
    return False
