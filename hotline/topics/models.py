"""A topic, its tasks with owners and dates, and the tickets linked to it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import Department, OrgUnit
from hotline.tickets.models import Ticket

topic_tickets = Table(
    "topic_tickets",
    db.metadata,
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(db.Model):
    """One class of problems (a matter in an area) the centre takes on for a month or more."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    function: Mapped[str] = mapped_column(String(32))
    org_unit_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(8), default="open")
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("early_warnings.id"), default=None)
    created_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    summary: Mapped[str | None] = mapped_column(Text, default=None)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    tasks: Mapped[list[TopicTask]] = relationship(
        back_populates="topic", order_by="TopicTask.id", cascade="all, delete-orphan"
    )
    tickets: Mapped[list[Ticket]] = relationship(secondary=topic_tickets, order_by=Ticket.id)


class TopicTask(db.Model):
    """A piece of the work on a topic, owned by one department, due on a date."""

    __tablename__ = "topic_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    due: Mapped[date] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    done_by: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)

    topic: Mapped[Topic] = relationship(back_populates="tasks")
    department: Mapped[Department] = relationship(lazy="joined")
