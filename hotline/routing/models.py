"""What the router learns from: each ticket's proposal and what became of it; auto-dispatch flags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db, rows_where
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket

_DISPATCHED = rows_where("dispatched_at IS NOT NULL")
_CORRECTED = rows_where("corrected_at IS NOT NULL")


class RoutingFeedback(db.Model):
    """One ticket's routing outcome: the proposal, the first dispatch, later corrections.

    A derived index of the timeline (``route``/``dispatch``/``return``/``transfer``/``recall``
    events), kept in the same transaction as the events and rebuildable from them, so that
    first-time-right figures are one GROUP BY instead of a scan of every event.
    """

    __tablename__ = "routing_feedback"
    # A new ticket's row is neither dispatched nor corrected: intake adds no entry to the
    # indexes of those moments (every read through them names one, which implies the WHERE).
    __table_args__ = (
        Index("ix_routing_feedback_rule_dispatched", "rule", "dispatched_at", **_DISPATCHED),
        Index(
            "ix_routing_feedback_function_dispatched", "function", "dispatched_at", **_DISPATCHED
        ),
        Index("ix_routing_feedback_dispatched_at", "dispatched_at", **_DISPATCHED),
        Index("ix_routing_feedback_corrected_at", "corrected_at", **_CORRECTED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    # The latest proposal before the first dispatch (a re-route replaces it).
    rule: Mapped[str | None] = mapped_column(String(120), default=None)
    function: Mapped[str | None] = mapped_column(String(40), default=None)
    level: Mapped[str | None] = mapped_column(String(12), default=None)
    proposed_department: Mapped[str | None] = mapped_column(String(40), default=None)
    ruleset_version: Mapped[str | None] = mapped_column(String(40), default=None)
    confidence: Mapped[float | None] = mapped_column(default=None)
    fallback: Mapped[bool] = mapped_column(default=False)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The first dispatch: first-time-right is judged on it.
    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)
    dispatched_department: Mapped[str | None] = mapped_column(String(40), default=None)
    as_proposed: Mapped[bool | None] = mapped_column(default=None)
    auto: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    # A return, transfer or recall after the first dispatch: the proposal did not stay.
    corrected: Mapped[bool] = mapped_column(default=False)
    correction: Mapped[str | None] = mapped_column(String(16), default=None)
    corrected_at: Mapped[datetime | None] = mapped_column(default=None)
    # Where the ticket ended up (the label a correction teaches); None while it is unknown.
    final_department: Mapped[str | None] = mapped_column(String(40), default=None)
    final_function: Mapped[str | None] = mapped_column(String(40), default=None)
    final_level: Mapped[str | None] = mapped_column(String(12), default=None)

    ticket: Mapped[Ticket] = relationship()

    @property
    def stayed(self) -> bool:
        """Tell whether the proposal was dispatched as it was and never moved afterwards."""
        return bool(self.as_proposed) and not self.corrected


class RuleAutodispatch(db.Model):
    """The centre's switch letting one rule dispatch without an operator."""

    __tablename__ = "rule_autodispatch"

    rule: Mapped[str] = mapped_column(String(120), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The measured first-time-right rate and sample size when the switch last changed.
    rate: Mapped[float | None] = mapped_column(default=None)
    sample: Mapped[int | None] = mapped_column(default=None)
