"""An attachment: one stored file of a ticket, who added it and whether the resident sees it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow

SOURCES = ("portal", "mms", "open311", "staff")


class Attachment(db.Model):
    """A file kept as evidence on a ticket (bytes in the storage, under ``storage_key``)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_events.id"), default=None)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Shown to the resident on /track: their own files and the department's proof of result.
    public: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(16))
    # Where it came from (an MMS media URL, an Open311 media_url): fetched once.
    source_ref: Mapped[str | None] = mapped_column(String(500), default=None)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
