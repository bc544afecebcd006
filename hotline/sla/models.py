"""The marks that make every warning, red card and escalation happen exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db, rows_where
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket

STEPS = ("sign", "resolve", "followup")
KINDS = ("warning", "overdue", "escalate", "close")


class SlaMark(db.Model):
    """One SLA act done for a ticket: (ticket, step, kind, level) within one clock round.

    The row is inserted in the same transaction as the timeline event, so a second sweep,
    a second worker or a re-run job hits the UNIQUE constraint and does nothing. ``round``
    is the step's deadline, so a ticket reopened, transferred or given an extension later
    starts a fresh set of marks for its new deadline.
    """

    __tablename__ = "sla_marks"
    __table_args__ = (
        UniqueConstraint("ticket_id", "step", "kind", "level", "round", name="uq_sla_marks_act"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(12))
    round: Mapped[datetime] = mapped_column()
    due: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The overdue list reads only open tickets past a deadline: partial indexes keep it fast
# however many closed tickets pile up (migration 0002 creates them). On PostgreSQL they carry
# the columns the overdue list, its counts and its CSV read (migration 0013): index-only scans
# of the open work (hotline.sla.overdue.overdue_branches), not visits to a year of heap pages.
OVERDUE_INCLUDE = ["id", "signed_at", "resolved_at", "department_code", "scope_code", "org_unit_code",
                   "number", "type", "urgent", "escalation_level", "paused_at",
                   # The ticket list's 临期 and overdue filters, newest first (migration 0018), and
                   # the figures' overdue counts, which leave emergencies out (migration 0019).
                   "sla_next_at", "created_at", "emergency"]  # fmt: skip
for _name, _column, _status in (
    ("ix_sla_tickets_sign_open", Ticket.sign_due, "dispatched"),
    ("ix_sla_tickets_resolve_open", Ticket.resolve_due, "accepted"),
):
    Index(
        _name,
        _column,
        **rows_where(f"status = '{_status}'"),
        postgresql_include=OVERDUE_INCLUDE,
    )

# The overdue CSV's matter and address of the open work, read by ticket id from this index
# alone (migration 0021), not from one heap page of the year's table per overdue ticket. A
# btree entry holds 2,704 bytes at most: longer descriptions stay out, read from the table.
OPEN_TEXT_BYTES = 1800
Index(
    "ix_sla_tickets_open_text",
    Ticket.id,
    postgresql_where=text(
        f"status IN ('dispatched', 'accepted') AND octet_length(description) <= {OPEN_TEXT_BYTES}"
    ),
    postgresql_include=["description", "address"],
).ddl_if(dialect="postgresql")
