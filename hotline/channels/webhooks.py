"""Webhook de-duplication for every channel: a provider's retry gets the first answer again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow


class ProcessedWebhook(db.Model):
    """A one-shot id (``sms:<MessageSid>``…) already handled, and the answer it got."""

    # The table keeps its first channel's name: renaming it would need a migration for nothing.
    __tablename__ = "twilio_processed"

    sid: Mapped[str] = mapped_column(String(80), primary_key=True)
    response: Mapped[str] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def recall(sid: str) -> str | None:
    """Return the answer given to a one-shot id before, if any."""
    row = db.session.get(ProcessedWebhook, sid)
    return row.response if row else None


def remember(sid: str, response: str, ticket_id: int | None = None) -> str:
    """Store the answer to ``sid``; if a parallel retry stored one first, return that one."""
    try:
        with db.session.begin_nested():
            db.session.add(ProcessedWebhook(sid=sid, response=response, ticket_id=ticket_id))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return recall(sid) or response
    return response
