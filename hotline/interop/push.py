"""Deliver the records the hotline owes the 110 platform, over HTTPS, from the outbox."""

from __future__ import annotations

import logging
from typing import Any

import requests
from sqlalchemy import select

from hotline.core.config import Settings
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat, utcnow
from hotline.interop.models import InteropLink
from hotline.interop.operations import PARTNER_110
from hotline.notifications.models import OutboxMessage
from hotline.notifications.senders import SendError, SendResult
from hotline.tickets.models import Ticket

log = logging.getLogger("hotline.interop")
RECORD_VERSION = 1


def _link(ticket: Ticket, direction: str) -> InteropLink | None:
    return db.session.scalar(
        select(InteropLink).where(
            InteropLink.partner == PARTNER_110,
            InteropLink.direction == direction,
            InteropLink.ticket_id == ticket.id,
        )
    )


def emergency_record(ticket: Ticket, settings: Settings) -> dict[str, Any]:
    """Return the record of an emergency that reached the hotline instead of 110."""
    routing = ticket.routing or {}
    return {
        "version": RECORD_VERSION,
        "record_type": "emergency",
        "record_id": f"12345-{settings.city}-{ticket.number}",
        "city": settings.city,
        "ticket_number": ticket.number,
        "received_at": isoformat(ticket.created_at, settings.timezone),
        "channel": ticket.channel,
        "caller_phone": ticket.phone,
        "caller_name": ticket.name,
        "description": ticket.description,
        "address": ticket.address,
        "place_code": ticket.org_unit_code,
        "emergency": routing.get("emergency"),
        "caller_told": "已告知拨打110/119/120/122",
    }


def outcome_record(ticket: Ticket, status: str, settings: Settings) -> dict[str, Any]:
    """Return the outcome of a matter 110 handed over, as 110 files it against its record."""
    link = _link(ticket, "inbound")
    department = ticket.department.name if ticket.department else None
    return {
        "version": RECORD_VERSION,
        "record_type": "outcome",
        "external_id": link.external_id if link else None,
        "city": settings.city,
        "ticket_number": ticket.number,
        "status": status,
        "department": department,
        "reply": ticket.reply,
        "rating": ticket.rating,
        "at": isoformat(utcnow(), settings.timezone),
    }


def push_to_110(message: OutboxMessage, settings: Settings) -> SendResult:
    """POST one record to the 110 platform; a refusal or no answer raises SendError (retried)."""
    ticket = db.session.get(Ticket, message.ticket_id) if message.ticket_id else None
    if ticket is None:
        return SendResult(sid=None, status="no_ticket")
    if message.kind == "interop_110_emergency":
        record = emergency_record(ticket, settings)
    else:
        record = outcome_record(ticket, message.body, settings)
    if not settings.interop_110_push_url:
        log.info("110 push not configured; record %s of ticket %s kept in the outbox",
                 record["record_type"], ticket.number)  # fmt: skip
        return SendResult(sid=None, status="logged")
    headers = {"Idempotency-Key": message.dedup_key}
    if settings.interop_110_push_key:
        headers["Authorization"] = f"Bearer {settings.interop_110_push_key}"
    try:
        response = requests.post(
            settings.interop_110_push_url,
            json=record,
            headers=headers,
            timeout=settings.interop_110_timeout,
            cert=settings.interop_110_push_cert,
            verify=settings.interop_110_push_ca or True,
        )
    except requests.RequestException as exc:
        raise SendError(f"110 platform unreachable: {exc.__class__.__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise SendError(f"110 platform answered {response.status_code}")
    receipt = _receipt(response)
    _remember(ticket, message.kind, receipt)
    return SendResult(sid=receipt, status="accepted")


def _receipt(response: requests.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    value = body.get("receipt") if isinstance(body, dict) else None
    return str(value)[:64] if value else None


def _remember(ticket: Ticket, kind: str, receipt: str | None) -> None:
    """Record 110's receipt on the ticket's link (in the outbox worker's transaction)."""
    direction = "outbound" if kind == "interop_110_emergency" else "inbound"
    link = _link(ticket, direction)
    if link is None and direction == "outbound":
        link = InteropLink(partner=PARTNER_110, direction="outbound", ticket=ticket)
        db.session.add(link)
    if link is not None:
        if direction == "outbound":
            link.external_id = receipt
        link.acknowledged_at = utcnow()
