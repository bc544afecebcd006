"""Intake: number a resident's request, route it and record it, in one transaction.

PostgreSQL writes the ticket, its first events, the router's trace, the routing feedback row and
the receipt in one statement (hotline.tickets.intake_pg); SQLite takes plain INSERTs, one a table.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from flask import current_app
from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached

from hotline.core.actors import RESIDENT, SYSTEM, Actor
from hotline.core.context import settings
from hotline.core.errors import FieldError
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import OrgUnit
from hotline.tickets import actions, intake_pg, notices
from hotline.tickets.models import Ticket, TicketEvent, TicketTrace
from hotline.tickets.numbers import counter_number
from hotline.tickets.proposal import Proposal

_COLUMNS = frozenset(Ticket.__table__.columns.keys())


class Draft(SimpleNamespace):
    """A new ticket's columns as plain attributes, from intake until it is stored.

    What the router, the search index and the notices read of a new ticket. Setting an
    attribute of a mapped Ticket fires the ORM's events; intake sets dozens per ticket.
    """

    @property
    def proposal(self) -> Proposal:
        """Return the router's proposal as a typed view, as Ticket.proposal does."""
        return Proposal.of(self.routing)

    def columns(self) -> dict[str, Any]:
        """Return the values of the ticket's columns."""
        return {k: v for k, v in vars(self).items() if k in _COLUMNS}


def create_ticket(
    data: dict[str, Any],
    channel: str = "web",
    actor: Actor = RESIDENT,
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
    commit: bool = True,
) -> Ticket:
    """Take a resident's request in (see take_in) and return it as a ticket of the session."""
    draft = take_in(data, channel, actor, now, extra, commit)
    if draft.status != "received":  # dispatched at once: the session holds the ticket as stored
        ticket = db.session.get(Ticket, draft.id)
        assert ticket is not None
        return ticket
    # The ticket as stored, without reading it back: what was written is what is there.
    ticket = Ticket(**draft.columns())
    make_transient_to_detached(ticket)
    db.session.add(ticket)
    return ticket


def take_in(
    data: dict[str, Any],
    channel: str = "web",
    actor: Actor = RESIDENT,
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
    commit: bool = True,
) -> Draft:
    """Take a resident's request in: number it, route it, record it; commit unless told not to.

    Returns what was written, as plain values: the API answers from them, with no mapped object
    (create_ticket makes one). Plain INSERTs (no unit-of-work flush, no reload after the
    commit): intake is the hottest write of the hotline.
    """
    now = now or utcnow()
    community = data.get("community_code")
    if community and db.session.get(OrgUnit, community) is None:
        raise FieldError("community_code", f"unknown org unit code {community}")
    draft = Draft(
        id=None,
        number=None,
        type=data["type"],
        status="received",
        urgent=bool(data.get("urgent")),
        emergency=False,
        channel=channel,
        description=data["description"],
        address=data.get("address") or None,
        phone=data["phone"],
        name=data.get("name") or None,
        confidential=bool(data.get("confidential")),
        org_unit_code=community or None,
        scope_code=community or settings().city,
        routing=None,
        reply=None,
        created_at=now,
        updated_at=now,
        escalation_count=0,
        version=1,
        **(extra or {}),
    )
    ticket = cast(Ticket, draft)  # read and set like a ticket by the router, index and notices
    router = current_app.extensions.get("hotline_router")
    proposal = router.propose(ticket) if router is not None else None
    if proposal is not None:
        actions.apply_proposal(ticket, proposal, now)
    dialect = db.engine.dialect.name
    # The search package's columns (it indexes on flush; this INSERT does not flush).
    search_fields = current_app.extensions.get("hotline_search_fields")
    if search_fields is not None:
        search_fields(ticket, dialect)
    values = draft.columns()
    events = [_event_row("create", actor, {"channel": channel}, now, True)]
    if proposal is not None:
        events.append(_event_row("route", SYSTEM, draft.routing, now))
    switch = None
    if dialect == "postgresql":
        # Nothing else to commit with the ticket: its one statement is its transaction.
        alone = commit and _session_idle() and not notices.channels_want(ticket)
        written = intake_pg.write(ticket, values, events, proposal, router, now, alone)
        draft.id, draft.number, switch = written.id, written.number, written.switch
        if not alone:
            notices.tell_channels(ticket)
    else:
        alone = False
        _write_plain(draft, values, events, proposal, router, now)
        notices.ticket_received(ticket)
    if commit and not alone:
        db.session.commit()
    if dialect == "postgresql" and written.receipt is not None:
        written.receipt.settle(committed=commit)
    # A rule the centre trusts may dispatch it at once.
    if commit and router is not None and router.after_intake(draft.number, proposal, switch):
        draft.status = "dispatched"
    return draft


def _session_idle() -> bool:
    """Return whether the session holds no transaction and no unflushed change."""
    if not db.session.registry.has():  # none made yet in this context: nothing to commit
        return True
    session = db.session()
    if session.in_transaction():
        return False
    # Pending, changed and deleted objects are all in the identity map (or began a transaction).
    return not session.identity_map or not (session.new or session.dirty or session.deleted)


def _write_plain(
    ticket: Draft,
    values: dict[str, Any],
    events: list[dict[str, Any]],
    proposal: dict[str, Any] | None,
    router: Any,
    now: datetime,
) -> None:
    """Write the ticket and what comes with it one INSERT a table (SQLite)."""
    values["number"] = counter_number(now, settings().timezone)
    table = Ticket.__table__
    row = db.session.execute(insert(table).returning(table.c.id, table.c.number), values).one()
    ticket.id, ticket.number = row.id, row.number
    if proposal is not None and proposal.get("trace"):
        db.session.execute(
            insert(TicketTrace.__table__), {"ticket_id": ticket.id, "trace": proposal["trace"]}
        )
    # With RETURNING, SQLAlchemy sends the events as one multi-row INSERT: one round trip.
    events_table = TicketEvent.__table__
    rows = [e | {"ticket_id": ticket.id} for e in events]
    db.session.execute(insert(events_table).returning(events_table.c.id), rows)
    if proposal is not None and router is not None:
        router.record_intake(ticket.id, ticket.routing, now)


def _event_row(
    action: str, actor: Actor, data: dict[str, Any] | None, at: datetime, public: bool = False
) -> dict[str, Any]:
    from_status = None if action == "create" else "received"
    return {"action": action, "actor_id": actor.id, "actor": actor.label,
            "from_status": from_status, "to_status": "received", "at": at, "data": data or {},
            "public": public}  # fmt: skip
