"""The outbox: every message the hotline sends, written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db, rows_where
from hotline.core.timeutil import utcnow

# "limited": refused because the phone had its share of messages (HOTLINE_SMS_PER_PHONE_*).
OUTBOX_STATES = (
    "pending",
    "sending",
    "sent",
    "delivered",
    "failed",
    "dead",
    "skipped",
    "limited",
)


class OutboxMessage(db.Model):
    """One outbound SMS (or log line) and its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
        # The per-phone limit counts a number's recent messages.
        Index("ix_outbox_to_created", "to", "created_at"),
        # Status callbacks find a message by its provider id; a new one has none yet.
        Index(
            "ix_outbox_provider_sid",
            "provider_sid",
            **rows_where("provider_sid IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique per cause, so the same event never queues the same message twice.
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    to: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), default=None, index=True
    )
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    provider_sid: Mapped[str | None] = mapped_column(String(64), default=None)
    provider_status: Mapped[str | None] = mapped_column(String(24), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class OptOut(db.Model):
    """A phone number that asked (TD / STOP) to receive no more messages."""

    __tablename__ = "opt_outs"

    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
