"""Keys that partner platforms use, and the links between their records and our tickets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket


class InteropKey(db.Model):
    """A key issued to one partner platform (its name is the partner, e.g. ``110``)."""

    __tablename__ = "interop_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(32), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def active(self) -> bool:
        """Tell whether the key still opens the partner's endpoint."""
        return self.revoked_at is None


class InteropLink(db.Model):
    """One ticket's record on a partner platform: theirs handed to us, or ours pushed to them."""

    __tablename__ = "interop_links"
    __table_args__ = (
        UniqueConstraint("partner", "direction", "external_id", name="uq_interop_links_external"),
        UniqueConstraint("partner", "direction", "ticket_id", name="uq_interop_links_ticket"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(32))
    # inbound: the partner handed the matter to us; outbound: we handed an emergency to them.
    direction: Mapped[str] = mapped_column(String(8))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    # The partner's own number for the record (their receipt, for outbound ones).
    external_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)

    ticket: Mapped[Ticket] = relationship()
