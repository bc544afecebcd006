"""The filters of every ticket list: the API's, the search page's and the supervisors' lists."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate
from sqlalchemy import and_, literal_column, or_, select, union_all

from hotline.core.context import settings
from hotline.org.models import Department
from hotline.sla.overdue import DUE, clock_branches, overdue_branches, overdue_condition
from hotline.tickets.models import CHANNELS, STATUSES, TYPES, Ticket


class ListFilterSchema(Schema):
    """Filters a staff list accepts (all optional)."""

    q = fields.String(validate=validate.Length(1, 100))
    status = fields.String(validate=validate.OneOf(STATUSES))
    type = fields.String(validate=validate.OneOf(TYPES))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    function = fields.String(validate=validate.Length(1, 40))
    department = fields.String(validate=validate.Length(1, 40))
    org_unit = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    created_from = fields.Date()
    created_to = fields.Date()
    overdue = fields.Boolean()
    due_soon = fields.Boolean()
    urgent = fields.Boolean()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


def _utc(day: date) -> datetime:
    """Return the start of a local day as naive UTC (how times are stored)."""
    local = datetime.combine(day, time.min, ZoneInfo(settings().timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def due_soon_condition(now: datetime) -> Any:
    """Open tickets past their yellow warning but not yet overdue (临期).

    After the warning the SLA sweep's next moment is the deadline itself (sla_next_at >= due);
    a warning moment already passed but not yet swept has sla_next_at <= now.
    """
    dispatched: Any = literal_column("'dispatched'")
    accepted: Any = literal_column("'accepted'")
    running = or_(
        and_(Ticket.status == dispatched, Ticket.signed_at.is_(None)),
        and_(Ticket.status == accepted, Ticket.resolved_at.is_(None)),
    )
    return and_(running, now < DUE, or_(Ticket.sla_next_at <= now, Ticket.sla_next_at >= DUE))


def _due_soon_ids(now: datetime) -> Any:
    """Return the ids of the 临期 tickets, one SELECT per running clock (its partial index)."""
    return union_all(*(select(Ticket.id).where(*w) for w in clock_branches("due_soon", now)))


def apply_filters(stmt: Any, args: dict[str, Any], now: datetime) -> Any:
    """Apply the list filters present in ``args`` (already loaded) to a Ticket select."""
    for key, column in (
        ("status", Ticket.status),
        ("type", Ticket.type),
        ("channel", Ticket.channel),
        ("department", Ticket.department_code),
        ("urgent", Ticket.urgent),
    ):
        if key in args:
            stmt = stmt.where(column == args[key])
    if "function" in args:
        codes = select(Department.code).where(Department.function == args["function"])
        stmt = stmt.where(Ticket.department_code.in_(codes))
    if "org_unit" in args:
        stmt = stmt.where(
            or_(
                Ticket.org_unit_code.startswith(args["org_unit"], autoescape=True),
                Ticket.scope_code.startswith(args["org_unit"], autoescape=True),
            )
        )
    if "created_from" in args:
        stmt = stmt.where(Ticket.created_at >= _utc(args["created_from"]))
    if "created_to" in args:
        stmt = stmt.where(Ticket.created_at < _utc(args["created_to"] + timedelta(days=1)))
    # Overdue and 临期 are a few open tickets among millions: their ids come from the open
    # work's partial indexes (index-only), not from a condition tested on every ticket.
    if args.get("overdue"):
        overdue = overdue_branches(Ticket.id, now=now)
        stmt = stmt.where(Ticket.id.in_(select(overdue.c.id)))
    elif args.get("overdue") is False:
        stmt = stmt.where(~overdue_condition(now))
    if args.get("due_soon"):
        stmt = stmt.where(Ticket.id.in_(_due_soon_ids(now)))
    return stmt
