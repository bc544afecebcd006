"""Open311 writes and reads: API keys, filing a request as a ticket, finding requests."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from hotline.attachments.tasks import schedule_media_fetch
from hotline.core.actors import Actor
from hotline.core.errors import Forbidden, InvalidInput, NotFound
from hotline.core.extensions import db
from hotline.core.phones import normalise
from hotline.core.timeutil import utcnow
from hotline.open311.catalogue import Service
from hotline.open311.models import ApiKey, Open311Request
from hotline.tickets.models import OPEN_STATUSES, Ticket
from hotline.tickets.operations import create_ticket

KEY_PREFIX = "o311"
DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
# Resolved counts as closed for Open311: the city considers the matter done (reply given).
OPEN311_OPEN = tuple(s for s in OPEN_STATUSES if s != "resolved")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(name: str, actor: Actor) -> tuple[ApiKey, str]:
    """Issue a key to application ``name``; return the row and the key, shown only once."""
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise InvalidInput("name must be 1–80 characters", {"name": ["length"]})
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"
    row = ApiKey(name=name, prefix=prefix, key_hash=_hash(key), created_by=actor.label)
    db.session.add(row)
    db.session.commit()
    return row, key


def list_keys() -> Sequence[ApiKey]:
    """Return every key, newest first."""
    return db.session.scalars(select(ApiKey).order_by(ApiKey.id.desc())).all()


def revoke_key(id_or_prefix: str | int, actor: Actor) -> ApiKey:
    """Revoke a key by id or prefix; revoking twice is harmless."""
    ref = str(id_or_prefix).strip()
    condition = ApiKey.prefix == ref
    if ref.isdigit() and len(ref) < 9:
        condition = or_(condition, ApiKey.id == int(ref))
    row = db.session.scalars(select(ApiKey).where(condition)).first()
    if row is None:
        raise NotFound(message=f"no API key {ref}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    return row


def check_key(key: str | None) -> ApiKey:
    """Return the active key matching ``key``, else raise 403."""
    parts = (key or "").split("_", 2)
    if len(parts) == 3 and parts[0] == KEY_PREFIX:
        row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
        if row and row.active and hmac.compare_digest(row.key_hash, _hash(key or "")):
            return row
    raise Forbidden("api_key is missing, wrong or revoked")


def _ticket_text(service: Service, description: str | None, answers: dict[str, Any]) -> str:
    """Write the ticket text: service name first (the router and operators read it)."""
    lines = [f"【{service.name}】{description or service.description}"]
    labels = {a.code: a for a in service.attributes}
    for code, value in answers.items():
        attr = labels[code]
        names = dict(attr.values)
        shown = [names.get(v) or v for v in (value if isinstance(value, list) else [value])]
        lines.append(f"{attr.description}：{'、'.join(shown)}")
    return "\n".join(lines)


def submit_request(
    service: Service, data: dict[str, Any], answers: dict[str, Any], key: ApiKey
) -> tuple[Ticket, Open311Request]:
    """File an Open311 request as a ticket (routed when the router is installed)."""
    phone = normalise(data.get("phone") or "")
    if phone is None:
        # 12345 confirms, tracks and follows up by phone, so a request without one is refused.
        raise InvalidInput("phone is required (mainland China number)")
    now = utcnow()
    key.last_used_at = now
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()[:50]
    ticket_data = {
        "type": service.type,
        "description": _ticket_text(service, data.get("description"), answers),
        "phone": phone,
        "name": name or None,
        "address": data.get("address_string"),
    }
    extra = {
        "latitude": data.get("lat"),
        "longitude": data.get("long"),
        "media_url": data.get("media_url"),
        "service_code": service.code,
        "email": data.get("email"),
    }
    actor = Actor(None, f"open311:{key.name}"[:64], "resident")
    ticket = create_ticket(ticket_data, channel="open311", actor=actor, now=now, extra=extra)
    schedule_media_fetch(ticket)  # the photo is fetched by a worker, never by this request
    row = Open311Request(
        ticket_id=ticket.id,
        api_key_id=key.id,
        token=secrets.token_urlsafe(18),
        description=data.get("description"),
        attributes=answers,
        address_id=data.get("address_id"),
        device_id=data.get("device_id"),
        account_id=data.get("account_id"),
        created_at=now,
    )
    db.session.add(row)
    db.session.commit()
    return ticket, row


def _visible():  # noqa: ANN202 - a select of (Ticket, Open311Request | None)
    # Only tickets of a catalogue service are Open311 requests; other channels stay private.
    return (
        select(Ticket, Open311Request)
        .outerjoin(Open311Request, Open311Request.ticket_id == Ticket.id)
        .where(Ticket.service_code.is_not(None))
    )


def find_requests(
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: set[str] | None = None,
    now: datetime | None = None,
) -> list[tuple[Ticket, Open311Request | None]]:
    """Return requests by ids (which override every other filter) or by the filters."""
    query = _visible().order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(MAX_RESULTS)
    if ids:
        query = query.where(Ticket.number.in_(ids))
    else:
        if start is not None and end is not None:
            if start > end:
                raise InvalidInput("start_date is after end_date")
            if end - start > DEFAULT_WINDOW:
                raise InvalidInput("start_date and end_date may not span more than 90 days")
        elif start is not None:
            # Only a start: from there, for at most the 90-day window (a future start: nothing).
            end = min(now or utcnow(), start + DEFAULT_WINDOW)
            if start > end:
                return []
        else:
            end = end or (now or utcnow())
            start = end - DEFAULT_WINDOW
        query = query.where(Ticket.created_at >= start, Ticket.created_at <= end)
        if service_codes:
            query = query.where(Ticket.service_code.in_(service_codes))
        if statuses == {"open"}:
            query = query.where(Ticket.status.in_(OPEN311_OPEN))
        elif statuses == {"closed"}:
            query = query.where(Ticket.status.not_in(OPEN311_OPEN))
    return [(t, r) for t, r in db.session.execute(query).all()]


def get_request(number: str) -> tuple[Ticket, Open311Request | None]:
    """Return one request by its ticket number, else 404."""
    row = db.session.execute(_visible().where(Ticket.number == number)).first()
    if row is None:
        raise NotFound(message=f"service request {number} not found")
    return row[0], row[1]


def get_token(token: str) -> Open311Request:
    """Return the request filed under ``token``, else 404."""
    row = db.session.scalar(select(Open311Request).where(Open311Request.token == token))
    if row is None:
        raise NotFound(message="token not found")
    return row
