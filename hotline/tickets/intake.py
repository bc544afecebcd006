"""Intake: number a resident's request, route it and record it, in one transaction.

PostgreSQL writes the ticket, its first events, the router's trace, the routing feedback row and
the receipt in one statement (hotline.tickets.intake_pg); SQLite takes plain INSERTs, one a table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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

_COLUMNS = frozenset(Ticket.__table__.columns.keys())


def propose_route(ticket: Ticket) -> dict[str, Any] | None:
    """Ask the router (when installed) for a proposal; intake never fails because of it."""
    router = current_app.extensions.get("hotline_router")
    if router is None:
        return None
    return router.propose(ticket)


def create_ticket(
    data: dict[str, Any],
    channel: str = "web",
    actor: Actor = RESIDENT,
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
    commit: bool = True,
) -> Ticket:
    """Take a resident's request in: number it, route it, record it; commit unless told not to.

    Plain INSERTs (no unit-of-work flush, no reload after the commit): intake is the hottest
    write of the hotline.
    """
    now = now or utcnow()
    community = data.get("community_code")
    if community and db.session.get(OrgUnit, community) is None:
        raise FieldError("community_code", f"unknown org unit code {community}")
    values: dict[str, Any] = {
        "type": data["type"],
        "status": "received",
        "urgent": bool(data.get("urgent")),
        "channel": channel,
        "description": data["description"],
        "address": data.get("address") or None,
        "phone": data["phone"],
        "name": data.get("name") or None,
        "confidential": bool(data.get("confidential")),
        "org_unit_code": community or None,
        "scope_code": community or settings().city,
        "created_at": now,
        "updated_at": now,
        **(extra or {}),
    }
    ticket = Ticket(**values)
    proposal = propose_route(ticket)
    if proposal is not None:
        actions.apply_proposal(ticket, proposal, now)
    # Whatever the proposal set (place, urgency, emergency, routing) goes into the INSERT too.
    values |= {k: v for k, v in vars(ticket).items() if k in _COLUMNS}
    values |= {"escalation_count": 0, "version": 1}
    dialect = db.engine.dialect.name
    # The search package's columns (it indexes on flush; this INSERT does not flush).
    search_fields = current_app.extensions.get("hotline_search_fields")
    if search_fields is not None:
        values |= search_fields(ticket, dialect)
    events = [_event_row("create", actor, {"channel": channel}, now, True)]
    if proposal is not None:
        events.append(_event_row("route", SYSTEM, ticket.routing, now))
    router = current_app.extensions.get("hotline_router")
    switch = None
    if dialect == "postgresql":
        # Nothing else to commit with the ticket: its one statement is its transaction.
        alone = commit and _session_idle() and not notices.channels_want(ticket)
        written = intake_pg.write(ticket, values, events, proposal, router, now, alone)
        ticket.id, ticket.number, switch = written.id, written.number, written.switch
        if not alone:
            notices.tell_channels(ticket)
    else:
        alone = False
        _write_plain(ticket, values, events, proposal, router, now)
        notices.ticket_received(ticket)
    if commit and not alone:
        db.session.commit()
    if dialect == "postgresql" and written.receipt is not None:
        written.receipt.settle(committed=commit)
    # The ticket as stored, without reading it back: what was written is what is there.
    for key, value in {**values, "id": ticket.id, "number": ticket.number}.items():
        setattr(ticket, key, value)
    make_transient_to_detached(ticket)
    db.session.add(ticket)
    if commit and router is not None:  # a rule the centre trusts may dispatch it at once
        router.after_intake(ticket.number, proposal, switch)
    return ticket


def _session_idle() -> bool:
    """Return whether the session holds no transaction and no unflushed change."""
    session = db.session()
    return not (session.in_transaction() or session.new or session.dirty or session.deleted)


def _write_plain(
    ticket: Ticket,
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
