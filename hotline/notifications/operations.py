"""Queue outbound messages in the outbox, in the caller's transaction."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, case, exists, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from hotline.core.extensions import db
from hotline.core.phones import mask
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.notifications.wake import wake_after_commit

log = logging.getLogger(__name__)
# Messages that count against a phone's share: everything but refusals and opt-outs.
COUNTED = ("pending", "sending", "sent", "delivered", "failed", "dead")


def queue_message(
    kind: str, to: str | None, body: str, dedup_key: str, ticket_id: int | None = None
) -> int | None:
    """Add a message to the outbox unless the same cause already queued it; return its id.

    Returns None when there is no number or the message was queued before, so retried
    webhooks and double sweeps never send twice. One INSERT … ON CONFLICT DO NOTHING: no
    look-up first and no savepoint, because a sweep queues thousands of these.
    """
    if not to:
        return None
    now = utcnow()
    resident = kind.startswith("resident")
    refusal = _over_limit(to, now) if resident else None
    if refusal is not None:
        # Anyone may type any number into the intake form: the ticket stands, the SMS does not.
        log.warning("SMS %s to %s refused: %s", kind, mask(to), refusal)
    params = {"kind": kind, "to": to, "body": body[:1600], "dedup_key": dedup_key,
              "ticket_id": ticket_id, "now": now, "refusal": refusal}  # fmt: skip
    dialect = db.session.get_bind().dialect.name
    stmt = _insert_statement(dialect, resident, refusal is not None)
    row = db.session.execute(stmt, params).first()
    message_id = row.id if row is not None else None
    if row is not None and row.state == "pending":
        wake_after_commit()
    return message_id


def _over_limit(to: str, now: datetime) -> str | None:
    """Say why ``to`` may receive no more resident messages now, or None."""
    settings = current_app.config["HOTLINE"]
    per_hour, per_day = settings.sms_per_phone_hour, settings.sms_per_phone_day
    if not per_hour and not per_day:
        return None
    # One look-up on (to, created_at) counts both windows: intake pays a single round trip.
    last_hour = OutboxMessage.created_at > now - timedelta(hours=1)
    in_hour, in_day = db.session.execute(
        select(func.count().filter(last_hour), func.count()).where(
            OutboxMessage.to == to,
            OutboxMessage.kind.startswith("resident"),
            OutboxMessage.state.in_(COUNTED),
            OutboxMessage.created_at > now - (timedelta(days=1) if per_day else timedelta(hours=1)),
        )
    ).one()
    if per_hour and in_hour >= per_hour:
        return f"per-phone limit: {per_hour} messages per hour"
    if per_day and in_day >= per_day:
        return f"per-phone limit: {per_day} messages per day"
    return None


def refused_count(to: str | None = None) -> int:
    """Count the messages refused by the per-phone limit (for one number, or all)."""
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "limited")
    if to is not None:
        query = query.where(OutboxMessage.to == to)
    return db.session.scalar(query) or 0


@functools.cache
def _insert_statement(dialect: str, resident: bool, limited: bool = False) -> Any:
    """Build the outbox INSERT once: the same statement object each time is the cheapest."""
    state: Any = literal("limited" if limited else "pending")
    if resident:
        # Opted-out numbers in the INSERT itself, not a look-up first: one round trip.
        opted_out = exists().where(OptOut.phone == bindparam("to"))
        state = case((opted_out, literal("skipped")), else_=state)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__
    return (
        insert(table)
        .values(
            kind=bindparam("kind"),
            to=bindparam("to"),
            body=bindparam("body"),
            dedup_key=bindparam("dedup_key"),
            ticket_id=bindparam("ticket_id"),
            state=state,
            last_error=bindparam("refusal"),
            attempts=0,
            next_attempt_at=bindparam("now"),
            created_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=[table.c.dedup_key])
        .returning(table.c.id, table.c.state)
    )
