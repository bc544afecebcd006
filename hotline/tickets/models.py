"""Tickets, their timeline events and the per-day number counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    false,
    or_,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db, rows_where
from hotline.core.timeutil import utcnow
from hotline.core.vocabulary import CHANNELS, OPEN_STATUSES, RATINGS, STATUSES, TYPES
from hotline.org.divisions import CODE_LENGTHS
from hotline.org.models import Department, OrgUnit
from hotline.tickets.proposal import Proposal

__all__ = [
    "CHANNELS",
    "OPEN_STATUSES",
    "RATINGS",
    "STATUSES",
    "TYPES",
    "Ticket",
    "TicketEvent",
    "TicketPart",
    "TicketCounter",
    "TicketTrace",
]


# A ticket's district (the first digits of its scope): the key of a district's list index.
DISTRICT_KEY_SQL = f"substr(scope_code, 1, {CODE_LENGTHS['district']})"
# The columns the ticket list filters on, carried by its newest-first index (PostgreSQL).
LIST_INCLUDE = ["status", "type", "channel", "urgent", "department_code", "scope_code",
                "org_unit_code"]  # fmt: skip


class Ticket(db.Model):
    """One resident contact and everything done about it."""

    __tablename__ = "tickets"
    __table_args__ = (
        # One state, newest first, to any depth without visiting the table (the id is in it).
        Index("ix_tickets_status_created", "status", "created_at", "id"),
        Index("ix_tickets_phone_created", "phone", "created_at"),
        # A rarer type (praise is 2%) and the urgent ones, newest first, to any depth.
        Index(
            "ix_tickets_type_created",
            "type",
            "created_at",
            "id",
            # A type within an area (the prefixes no ordered index serves), in the index.
            postgresql_include=["scope_code", "org_unit_code"],
        ),
        Index(
            "ix_tickets_urgent_created",
            "created_at",
            "id",
            **rows_where("urgent"),
        ),
        # Newest-first lists walk this index, ties broken by id (keyset pages). On PostgreSQL
        # it carries the list's filter columns: a filter no other index serves (a district,
        # a type, a combination) is checked in the index, and a deep page skips index
        # entries, not table rows (migration 0018).
        Index("ix_tickets_created_id", "created_at", "id", postgresql_include=LIST_INCLUDE),
        # A district's list, newest first to any depth: the city's walk above skips some twenty
        # other districts' tickets for each of its own (hotline.tickets.scope.listed_scope).
        Index(
            "ix_tickets_district_created",
            text(DISTRICT_KEY_SQL),
            "created_at",
            "id",
            postgresql_include=LIST_INCLUDE,
        ).ddl_if(dialect="postgresql"),
        # Org codes nest by prefix: LIKE '510107%' needs pattern ops under a non-C collation.
        Index(
            "ix_tickets_scope_created",
            "scope_code",
            "created_at",
            "id",
            postgresql_ops={"scope_code": "varchar_pattern_ops"},
            # A place's list: the second of its two streams (listing.area_streams) checks the
            # place in the index.
            postgresql_include=["org_unit_code"],
        ),
        # A new ticket has no department yet: these indexes skip it (intake writes fewer).
        Index(
            "ix_tickets_department_created",
            "department_code",
            "created_at",
            "id",
            **rows_where("department_code IS NOT NULL"),
        ),
        # The department inbox's tabs: one state of one department, counted and listed.
        Index(
            "ix_tickets_department_status",
            "department_code",
            "status",
            "updated_at",
            **rows_where("department_code IS NOT NULL"),
        ),
        # The SLA scan's next moment; a ticket with no clock running (a new one) is left out.
        Index(
            "ix_tickets_sla_next_at",
            "sla_next_at",
            **rows_where("sla_next_at IS NOT NULL"),
        ),
        # The operators' follow-up (回访) and unsatisfied tabs: resolved and answered tickets.
        Index(
            "ix_tickets_follow_up",
            "resolved_at",
            "updated_at",
            **rows_where("status IN ('resolved', 'answered')"),
            postgresql_include=["id", "rated_at", "rating", "emergency"],
        ),
        # Paused clocks (挂起) are few among millions: counted and listed from this alone.
        Index(
            "ix_tickets_paused",
            "paused_until",
            "id",
            **rows_where("paused_at IS NOT NULL"),
        ),
        # The statistics job recounts the days of the tickets changed since its last run.
        Index("ix_tickets_updated_at", "updated_at"),
        # A township's or community's tickets, read and sorted from here alone to any page
        # depth (listing.area_streams), the list's filters checked in the index (0023).
        Index(
            "ix_tickets_org_unit_code",
            "org_unit_code",
            "created_at",
            "id",
            postgresql_ops={"org_unit_code": "varchar_pattern_ops"},
            postgresql_include=[c for c in LIST_INCLUDE if c != "org_unit_code"],
        ),
        # Search (hotline/search): bigram tokens and trigrams (filled on PostgreSQL only).
        Index("ix_tickets_search_grams", "search_grams", postgresql_using="gin"),
        Index(
            "ix_tickets_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="received")
    urgent: Mapped[bool] = mapped_column(default=False)
    # A 110/119/120/122 matter: kept for the record, left out of the figures and follow-up.
    emergency: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(50), default=None)
    email: Mapped[str | None] = mapped_column(String(120), default=None)
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    media_url: Mapped[str | None] = mapped_column(String(500), default=None)
    service_code: Mapped[str | None] = mapped_column(String(40), default=None)
    source_ref: Mapped[str | None] = mapped_column(String(64), default=None, unique=True)

    # The place the matter is about, as deep as known.
    org_unit_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), default=None)
    department_code: Mapped[str | None] = mapped_column(
        ForeignKey("departments.code"), default=None
    )
    # The org unit whose supervisors see this ticket: the department's unit, else the place.
    scope_code: Mapped[str] = mapped_column(String(12))
    routing: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)
    sign_due: Mapped[datetime | None] = mapped_column(default=None)
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    resolve_due: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    followup_due: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the SLA sweep next has something to do for this ticket (null: nothing pending).
    sla_next_at: Mapped[datetime | None] = mapped_column(default=None)
    escalation_level: Mapped[str | None] = mapped_column(String(12), default=None)
    escalation_count: Mapped[int] = mapped_column(default=0)

    extension_request: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    # The latest rating; a reopen keeps it until the next round is rated (rated_at says when).
    rating: Mapped[str | None] = mapped_column(String(24), default=None)
    rated_at: Mapped[datetime | None] = mapped_column(default=None)
    rating_comment: Mapped[str | None] = mapped_column(Text, default=None)
    # Who took the latest rating: the resident (web/SMS) or the operator who called (回访).
    rated_by: Mapped[str | None] = mapped_column(String(64), default=None)
    # Follow-up calls that did not reach the resident in the current round; three close it.
    followup_attempts: Mapped[int] = mapped_column(default=0)
    # How the follow-up ended without a rating: unreachable (未接通) or refused (拒绝回访).
    followup_result: Mapped[str | None] = mapped_column(String(16), default=None)
    # A supervisor judged the claim unreasonable (不合理诉求): the rating stays, the figures skip it.
    rating_excluded: Mapped[bool] = mapped_column(default=False, server_default=false())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), default=None)

    # A department's return or transfer waiting for the centre's ruling (派单异议审核).
    pending_request: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # A pause (挂起) asked for, then the running one: from paused_at until paused_until.
    pause_request: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    paused_at: Mapped[datetime | None] = mapped_column(default=None)
    paused_until: Mapped[datetime | None] = mapped_column(default=None)
    pause_count: Mapped[int] = mapped_column(default=0)
    # The resident asked that departments never learn who they are (保密).
    confidential: Mapped[bool] = mapped_column(default=False)
    # Identifying passages an operator marked: departments see them blacked out.
    hidden_texts: Mapped[list[str] | None] = mapped_column(JSON, default=None)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Kept by hotline.search.index on every flush (PostgreSQL): normalised text, bigrams.
    search_text: Mapped[str | None] = mapped_column(Text, default=None, deferred=True)
    search_grams: Mapped[list[str] | None] = mapped_column(
        Text().with_variant(ARRAY(Text), "postgresql"), default=None, deferred=True
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def proposal(self) -> Proposal:
        """Return the router's proposal (ticket.routing) as a typed view."""
        return Proposal.of(self.routing)

    @hybrid_property
    def awaiting_rating(self) -> bool:
        """Tell whether the current result waits for the resident's rating (回访)."""
        return self.status in ("resolved", "answered") and (
            self.rated_at is None
            or (self.resolved_at is not None and self.rated_at < self.resolved_at)
        )

    @awaiting_rating.inplace.expression
    @classmethod
    def _awaiting_rating(cls) -> ColumnElement[bool]:
        return and_(
            cls.status.in_(("resolved", "answered")),
            or_(cls.rated_at.is_(None), cls.rated_at < cls.resolved_at),
        )

    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    merged_into: Mapped[Ticket | None] = relationship(remote_side=[id])
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )
    parts: Mapped[list[TicketPart]] = relationship(
        back_populates="ticket", order_by="TicketPart.id", cascade="all, delete-orphan"
    )


class TicketPart(db.Model):
    """An assisting department's share of a joint ticket (协办), on its own clock.

    The lead department's part is the ticket itself (department, sign_due, resolve_due).
    """

    __tablename__ = "ticket_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    role: Mapped[str] = mapped_column(String(8), default="assist")
    status: Mapped[str] = mapped_column(String(16), default="dispatched")
    dispatched_at: Mapped[datetime] = mapped_column(default=utcnow)
    sign_due: Mapped[datetime | None] = mapped_column(default=None)
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    resolve_due: Mapped[datetime | None] = mapped_column(default=None)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    escalation_level: Mapped[str | None] = mapped_column(String(12), default=None)

    ticket: Mapped[Ticket] = relationship(back_populates="parts")
    department: Mapped[Department] = relationship(lazy="joined")

    @property
    def open(self) -> bool:
        """Tell whether the part still has work to do."""
        return self.status in ("dispatched", "accepted")


_NOT_INTAKE = "action NOT IN ('create', 'route')"


class TicketEvent(db.Model):
    """One entry of a ticket's timeline: who did what, when, from which state to which."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        # What a department sent back (its inbox's 退回 tab), among tens of millions of events.
        Index(
            "ix_ticket_events_sent_back",
            text("(data ->> 'department')"),
            "at",
            postgresql_where=text("action IN ('return', 'return_request')"),
        ).ddl_if(dialect="postgresql"),
        # Reads by action look for the rarer steps (reopen, refusals, requests, urging); the
        # two every intake writes are left out, and cost it no entry.
        Index(
            "ix_ticket_events_action",
            "action",
            **rows_where(_NOT_INTAKE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    actor: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str | None] = mapped_column(String(16), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(default=False)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketCounter(db.Model):
    """The last ticket number handed out on one local day."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class TicketTrace(db.Model):
    """The router's reasoning behind a ticket's proposal, kept out of the hot tickets table.

    Operators read it while triaging; every list and scan of tickets is spared its kilobyte.
    """

    __tablename__ = "ticket_traces"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    trace: Mapped[list[Any]] = mapped_column(JSON)
