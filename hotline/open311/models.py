"""Open311 API keys (one per application, stored hashed) and the Open311 side of tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket


class ApiKey(db.Model):
    """A key issued to one application; only its prefix and SHA-256 hash are kept."""

    __tablename__ = "open311_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def active(self) -> bool:
        """Tell whether the key still opens the API."""
        return self.revoked_at is None


class Open311Request(db.Model):
    """What an Open311 client sent beside the ticket: its key, token, answers and ids."""

    __tablename__ = "open311_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("open311_api_keys.id"), default=None, index=True
    )
    token: Mapped[str] = mapped_column(String(40), unique=True)
    # The resident's own words, before the service name was put in front for the router.
    description: Mapped[str | None] = mapped_column(Text, default=None)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address_id: Mapped[str | None] = mapped_column(String(64), default=None)
    device_id: Mapped[str | None] = mapped_column(String(64), default=None)
    account_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship()
