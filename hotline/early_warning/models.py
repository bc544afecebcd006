"""A raised early warning: which matter, where, how many against the usual, who saw it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import OrgUnit


class EarlyWarning(db.Model):
    """One surge of ``function`` in township ``org_unit_code``."""

    __tablename__ = "early_warnings"
    # One warning per matter, street and cooldown bucket, even with two workers at once.
    __table_args__ = (UniqueConstraint("function", "org_unit_code", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    function: Mapped[str] = mapped_column(String(32))
    org_unit_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    bucket: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[datetime] = mapped_column()
    window_end: Mapped[datetime] = mapped_column()
    count: Mapped[int] = mapped_column()
    baseline: Mapped[float] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), default=None)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
