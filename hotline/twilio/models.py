"""Call sessions and recordings of the Twilio voice channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow

# Twilio's call statuses in the order a call goes through them; later ones win.
CALL_STATUS_RANK = {
    "queued": 1,
    "initiated": 2,
    "ringing": 3,
    "in-progress": 4,
    "completed": 5,
    "busy": 5,
    "failed": 5,
    "no-answer": 5,
    "canceled": 5,
}
# Twilio's message statuses, same idea: a late 'sent' never overwrites 'delivered'.
MESSAGE_STATUS_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "delivered": 5,
    "undelivered": 5,
    "failed": 5,
    "read": 6,
    "canceled": 5,
}
RECORDING_STATUS_RANK = {"in-progress": 1, "completed": 2, "absent": 2, "failed": 2}


class CallSession(db.Model):
    """One inbound call: where the caller is in the menu, what they said, how it ended."""

    __tablename__ = "twilio_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(2), default="zh")
    step: Mapped[str] = mapped_column(String(24), default="menu")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), default=None, index=True
    )
    call_status: Mapped[str | None] = mapped_column(String(16), default=None)
    duration: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CallRecording(db.Model):
    """A recording made during a call, attached to its ticket so an operator can listen."""

    __tablename__ = "twilio_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), default=None, index=True
    )
    url: Mapped[str | None] = mapped_column(String(500), default=None)
    status: Mapped[str | None] = mapped_column(String(16), default=None)
    duration: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
