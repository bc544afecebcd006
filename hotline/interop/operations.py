"""Keys for partner platforms, tickets 110 hands over, and the records we hand to 110."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from hotline.core.actors import Actor
from hotline.core.errors import FieldError, NotFound
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.interop.models import InteropKey, InteropLink
from hotline.notifications.operations import queue_message
from hotline.tickets.models import Ticket
from hotline.tickets.operations import create_ticket

KEY_PREFIX = "hlx"
PARTNER_110 = "110"
CHANNEL_110 = "110"
# A 110 ticket tells 110 its outcome when it reaches one of these states.
OUTCOME_STATES = ("answered", "resolved", "closed", "merged")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(partner: str, actor: Actor) -> tuple[InteropKey, str]:
    """Issue a key to partner platform ``partner``; return the row and the key (shown once)."""
    partner = partner.strip()
    if partner != PARTNER_110:
        raise FieldError("name", "the only partner platform is 110")
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"
    row = InteropKey(partner=partner, prefix=prefix, key_hash=_hash(key), created_by=actor.label)
    db.session.add(row)
    db.session.commit()
    return row, key


def list_keys() -> Sequence[InteropKey]:
    """Return every partner key, newest first."""
    return db.session.scalars(select(InteropKey).order_by(InteropKey.id.desc())).all()


def revoke_key(id_or_prefix: str, actor: Actor) -> InteropKey:
    """Revoke a key by id or prefix; revoking twice is harmless."""
    ref = str(id_or_prefix).strip()
    condition = InteropKey.prefix == ref
    if ref.isdigit() and len(ref) < 9:
        condition = or_(condition, InteropKey.id == int(ref))
    row = db.session.scalars(select(InteropKey).where(condition)).first()
    if row is None:
        raise NotFound("partner key", f"no partner key {ref}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    return row


def find_key(partner: str, authorization: str | None) -> InteropKey | None:
    """Return the active key of ``partner`` sent as ``Bearer KEY`` (and note its use), else None."""
    scheme, _, key = (authorization or "").partition(" ")
    parts = key.strip().split("_", 2)
    if scheme.lower() != "bearer" or len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    row = db.session.scalars(select(InteropKey).where(InteropKey.prefix == parts[1])).first()
    if (
        row is None
        or not row.active
        or row.partner != partner
        or not hmac.compare_digest(row.key_hash, _hash(key.strip()))
    ):
        return None
    row.last_used_at = utcnow()
    return row


def find_handover(partner: str, external_id: str) -> Ticket | None:
    """Return the ticket opened for the partner's record ``external_id``, if any."""
    return db.session.scalar(
        select(Ticket)
        .join(InteropLink, InteropLink.ticket_id == Ticket.id)
        .where(
            InteropLink.partner == partner,
            InteropLink.direction == "inbound",
            InteropLink.external_id == external_id,
        )
    )


def receive_handover(data: dict[str, Any], key: InteropKey) -> tuple[Ticket, bool]:
    """Open a ticket for a matter 110 hands over; return it and whether it is new."""
    existing = find_handover(key.partner, data["external_id"])
    if existing is not None:
        db.session.commit()  # keep the key's last_used_at
        return existing, False
    actor = Actor(None, f"{key.partner}联动平台", "system")
    fields = ("type", "description", "phone", "name", "address", "community_code", "urgent")
    ticket = create_ticket(
        {name: data.get(name) for name in fields},
        channel=CHANNEL_110,
        actor=actor,
        commit=False,
    )
    db.session.add(
        InteropLink(
            partner=key.partner, direction="inbound", ticket=ticket, external_id=data["external_id"]
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        # The same record handed over twice at once: the other request's ticket stands.
        db.session.rollback()
        winner = find_handover(key.partner, data["external_id"])
        if winner is None:
            raise
        return winner, False
    return ticket, True


def hands_to_110(ticket: Ticket) -> bool:
    """Return whether a new ticket's record goes to 110: an emergency 110 did not tell us of."""
    return ticket.proposal.is_emergency and ticket.channel != CHANNEL_110  # else it would loop


def hand_emergency_to_110(ticket: Ticket) -> None:
    """Queue the record of an emergency for the 110 platform (sent and retried by the outbox)."""
    if not hands_to_110(ticket):
        return
    queue_message("interop_110_emergency", PARTNER_110, "emergency", f"110:emergency:{ticket.id}",
                  ticket.id)  # fmt: skip


def report_outcome(ticket: Ticket, status: str) -> None:
    """Queue the outcome of a ticket 110 handed over, once per outcome state it reaches."""
    if ticket.channel != CHANNEL_110 or status not in OUTCOME_STATES:
        return
    queue_message("interop_110_outcome", PARTNER_110, status, f"110:outcome:{ticket.id}:{status}",
                  ticket.id)  # fmt: skip
