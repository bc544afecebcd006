"""Inbound SMS: a new ticket, a note to an open one, a status query, a rating or an opt-out."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.twiml.messaging_response import MessagingResponse

from hotline.attachments.mms import attach_media
from hotline.channels import webhooks
from hotline.core.actors import RESIDENT
from hotline.core.context import settings
from hotline.core.errors import DomainError, NotFound
from hotline.core.extensions import db
from hotline.core.phones import normalise
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket
from hotline.tickets.notices import track_url
from hotline.tickets.operations import create_ticket, rate_as_resident, track
from hotline.twilio import operations as ops
from hotline.twilio.texts import RATING_NAMES, STATUS_NAMES, sms_text

# The text of a ticket from an MMS that carried only photos.
MMS_TEXT = "（市民发送彩信图片，请查看附件）"
STOP_WORDS = {"TD", "STOP", "退订", "UNSUBSCRIBE", "T"}
QUERY = re.compile(r"^(?:查询|CX|STATUS)\s*[:：]?\s*([\d\s-]*)$", re.IGNORECASE)
RATINGS = {"1": "satisfied", "2": "basically_satisfied", "3": "unsatisfied"}
MERGE_STATUSES = ("received", "dispatched", "accepted", "returned")
TYPE_WORDS = (
    ("report", ("举报",)),
    ("praise", ("表扬", "感谢", "点赞")),
    ("suggestion", ("建议",)),
    ("consultation", ("咨询", "请问", "怎么办理", "如何", "?", "？")),
    ("help", ("求助", "帮忙", "帮助")),
)


def guess_type(text: str) -> str:
    """Guess the ticket type from the words of the message (complaint by default)."""
    for type_, words in TYPE_WORDS:
        if any(word in text for word in words):
            return type_
    return "complaint"


def _reply(text: str) -> str:
    response = MessagingResponse()
    response.message(text)
    return str(response)


def handle(sid: str, raw_from: str, body: str, media: list[str] | None = None) -> str:
    """Answer one inbound SMS with TwiML; the same MessageSid always gets the same answer."""
    previous = webhooks.recall(f"sms:{sid}")
    if previous is not None:
        return previous
    phone = normalise(raw_from)
    text = " ".join((body or "").split()) or (MMS_TEXT if media else "")
    ticket_id = None
    if phone is None or not phone.startswith("1"):
        answer = sms_text("bad_phone")
    elif not text:
        answer = sms_text("empty")
    elif text.upper() in STOP_WORDS:
        ops.opt_out(phone)
        answer = sms_text("stopped")
    elif (match := QUERY.match(text)) is not None:
        answer = _status(phone, match.group(1))
    elif text in RATINGS:
        answer = _rate(phone, RATINGS[text])
    else:
        answer, ticket_id = _intake(sid, phone, text)
    reply = webhooks.remember(f"sms:{sid}", _reply(answer), ticket_id)
    if media and ticket_id is not None:
        ticket = db.session.get(Ticket, ticket_id)
        if ticket is not None:
            attach_media(ticket, media)
    return reply


def _latest(phone: str, statuses: tuple[str, ...] | None = None) -> Ticket | None:
    query = select(Ticket).where(Ticket.phone == phone)
    if statuses:
        query = query.where(Ticket.status.in_(statuses))
    return db.session.scalar(query.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(1))


def _status(phone: str, raw: str) -> str:
    number = ops.ticket_number(raw)
    if not raw.strip():
        ticket = _latest(phone)
        if ticket is None:
            return sms_text("no_ticket")
        number = ticket.number
    if number is None:
        return sms_text("not_found")
    try:
        ticket = track(number, phone)
    except NotFound:
        return sms_text("not_found")
    return sms_text("status", number=number, status=STATUS_NAMES["zh"][ticket.status])


def _rate(phone: str, rating: str) -> str:
    ticket = db.session.scalar(
        select(Ticket)
        .where(
            Ticket.phone == phone,
            Ticket.awaiting_rating,
        )
        .order_by(Ticket.resolved_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    if ticket is None:
        return sms_text("nothing_to_rate")
    reopen = rating == "unsatisfied" and ticket.department_code is not None
    try:
        ticket = rate_as_resident(ticket.number, phone, rating, "短信评价", reopen=reopen)
    except DomainError:
        return sms_text("nothing_to_rate")
    if ticket.status == "dispatched":
        return sms_text("reopened", number=ticket.number)
    return sms_text("rated", number=ticket.number, rating=RATING_NAMES[rating])


def _intake(sid: str, phone: str, text: str) -> tuple[str, int]:
    hours = settings().sms_merge_hours
    # An emergency always gets the emergency reply and a ticket of its own, never a note.
    router = current_app.extensions.get("hotline_router")
    if hours and not (router is not None and router.emergency(text, "sms")):
        recent = _latest(phone, MERGE_STATUSES)
        if recent is not None and recent.created_at >= utcnow() - timedelta(hours=hours):
            ops.add_resident_note(recent, text[:2000], sid)
            return sms_text("noted", number=recent.number), recent.id
    data = {"type": guess_type(text), "description": text[:2000], "phone": phone, "urgent": False}
    try:
        ticket = create_ticket(data, "sms", RESIDENT, extra={"source_ref": sid})
    except IntegrityError:  # the same MessageSid, retried in parallel, made it first
        db.session.rollback()
        found = db.session.scalar(select(Ticket).where(Ticket.source_ref == sid))
        if found is None:
            raise
        ticket = found
    # The reply below gives the number at once; a second SMS (the receipt) would only repeat it.
    ops.skip_receipt(ticket)
    if ticket.proposal.is_emergency:
        return sms_text("emergency", number=ticket.number), ticket.id
    return sms_text("created", number=ticket.number, url=track_url(ticket)), ticket.id
