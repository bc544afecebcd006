"""Writes of the Twilio webhooks: call sessions, tickets from calls, recordings, statuses."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hotline.core.actors import RESIDENT, SYSTEM
from hotline.core.extensions import db
from hotline.core.phones import normalise
from hotline.notifications.models import OptOut, OutboxMessage
from hotline.tickets.models import Ticket
from hotline.tickets.operations import create_ticket
from hotline.tickets.timeline import add_event
from hotline.twilio.models import (
    CALL_STATUS_RANK,
    MESSAGE_STATUS_RANK,
    RECORDING_STATUS_RANK,
    CallRecording,
    CallSession,
)


def caller_phone(raw: str) -> str:
    """Return the caller's mainland number, else "+<digits>" (foreign) or "unknown" (hidden).

    A foreign number keeps its "+" so it can never pass for a mainland mobile: no SMS goes to
    it and no tracking lookup (which needs a mainland number) can match it.
    """
    phone = normalise(raw)
    if phone:
        return phone
    digits = re.sub(r"\D", "", raw or "")[:19]
    return f"+{digits}" if len(digits) >= 7 else "unknown"


def is_mainland(phone: str) -> bool:
    """Tell whether ``phone`` is a mainland number (mobile or landline): one that can track."""
    return normalise(phone) == phone


def is_mobile(phone: str) -> bool:
    """Tell whether ``phone`` is a mainland mobile: the only kind that gets SMS."""
    return is_mainland(phone) and phone.startswith("1")


def ticket_number(raw: str) -> str | None:
    """Return the ticket number (YYYYMMDD-NNNNNN) from 14 keyed or typed digits, or None."""
    digits = re.sub(r"\D", "", raw or "")
    return f"{digits[:8]}-{digits[8:]}" if len(digits) == 14 else None


def spoken_digits(number: str) -> str:
    """Return the number's digits spaced out, so text-to-speech reads them one by one."""
    return " ".join(ch for ch in number if ch.isdigit())


def session_for(call_sid: str, caller: str) -> CallSession:
    """Return the call's session, opening it on the first webhook (safe under retries)."""
    session = db.session.scalar(select(CallSession).where(CallSession.call_sid == call_sid))
    if session is not None:
        return session
    session = CallSession(call_sid=call_sid, caller=caller_phone(caller), data={})
    try:
        with db.session.begin_nested():
            db.session.add(session)
    except IntegrityError:  # a retried webhook opened it a moment ago
        session = db.session.scalar(select(CallSession).where(CallSession.call_sid == call_sid))
        assert session is not None
    db.session.commit()
    return session


def save_step(session: CallSession, step: str, **data: Any) -> None:
    """Move the call to ``step`` and remember what the caller gave so far."""
    session.step = step
    if data:
        session.data = {**(session.data or {}), **data}
    db.session.commit()


def ticket_for_call(session: CallSession, fields: dict[str, Any]) -> Ticket:
    """Open the call's ticket once (source_ref = CallSid), attach its recordings; commit."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.source_ref == session.call_sid))
    if ticket is None:
        data = {"phone": session.caller, "urgent": False, **fields}
        try:
            ticket = create_ticket(data, "phone", RESIDENT, extra={"source_ref": session.call_sid})
        except IntegrityError:  # the same step retried in parallel won the race
            db.session.rollback()
            ticket = db.session.scalar(select(Ticket).where(Ticket.source_ref == session.call_sid))
            assert ticket is not None
    session.ticket_id = ticket.id
    _attach_recordings(ticket, session.call_sid)
    db.session.commit()
    return ticket


def replace_placeholder(ticket: Ticket, placeholder: str, fields: dict[str, Any]) -> None:
    """Give a ticket still waiting in the queue its real type and text, with a timeline note."""
    if ticket.status != "received" or ticket.description != placeholder:
        return
    ticket.type = fields["type"]
    ticket.description = fields["description"]
    add_event(ticket, "note", SYSTEM, {"text": "坐席未接听，市民来电留言", "was": placeholder})
    db.session.commit()


def _attach_recordings(ticket: Ticket, call_sid: str) -> None:
    loose = db.session.scalars(
        select(CallRecording).where(
            CallRecording.call_sid == call_sid, CallRecording.ticket_id.is_(None)
        )
    ).all()
    for recording in loose:
        recording.ticket_id = ticket.id
        add_event(ticket, "recording", SYSTEM, _recording_data(recording))


def _recording_data(recording: CallRecording) -> dict[str, Any]:
    return {
        "recording_sid": recording.recording_sid,
        "url": recording.url,
        "status": recording.status,
        "duration": recording.duration,
    }


def record_recording(
    call_sid: str, recording_sid: str, url: str | None, status: str, duration: int | None
) -> CallRecording:
    """Store a recording or its status update (in any order); attach it to the call's ticket."""
    recording = db.session.scalar(
        select(CallRecording).where(CallRecording.recording_sid == recording_sid)
    )
    if recording is None:
        recording = CallRecording(recording_sid=recording_sid, call_sid=call_sid)
        try:
            with db.session.begin_nested():
                db.session.add(recording)
        except IntegrityError:
            recording = db.session.scalar(
                select(CallRecording).where(CallRecording.recording_sid == recording_sid)
            )
            assert recording is not None
    if RECORDING_STATUS_RANK.get(status, 0) >= RECORDING_STATUS_RANK.get(recording.status or "", 0):
        recording.status = status
    recording.url = url or recording.url
    recording.duration = duration if duration is not None else recording.duration
    if recording.ticket_id is None:
        ticket = db.session.scalar(select(Ticket).where(Ticket.source_ref == call_sid))
        if ticket is not None:
            _attach_recordings(ticket, call_sid)
    db.session.commit()
    return recording


def record_call_status(call_sid: str, caller: str, status: str, duration: int | None) -> None:
    """Store a call status callback; a late, earlier status never overwrites a later one."""
    session = session_for(call_sid, caller)
    if CALL_STATUS_RANK.get(status, 0) >= CALL_STATUS_RANK.get(session.call_status or "", 0):
        session.call_status = status
    if duration is not None:
        session.duration = max(duration, session.duration or 0)
    db.session.commit()
    data = session.data or {}
    if status == "completed" and session.ticket_id is None and data.get("description"):
        # The caller hung up after telling the matter (before the place): keep what they said.
        ticket_for_call(
            session, {"type": data.get("type", "help"), "description": data["description"]}
        )


def record_sms_status(sid: str, status: str, error_code: str | None) -> bool:
    """Update the outbox row Twilio reports on; False when no row has that sid (yet)."""
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.provider_sid == sid))
    if message is None:
        return False
    if MESSAGE_STATUS_RANK.get(status, 0) >= MESSAGE_STATUS_RANK.get(
        message.provider_status or "", 0
    ):
        message.provider_status = status
        if status == "delivered":
            message.state = "delivered"
        elif status in ("failed", "undelivered"):
            # Noted, not retried: Twilio already tried the carrier; a resend could double up.
            message.last_error = f"twilio reported {status} (error {error_code or 'unknown'})"
    db.session.commit()
    return True


def opt_out(phone: str) -> None:
    """Stop every resident message to ``phone`` (TD / STOP)."""
    if db.session.get(OptOut, phone) is None:
        try:
            with db.session.begin_nested():
                db.session.add(OptOut(phone=phone))
        except IntegrityError:
            pass
    db.session.commit()


def add_resident_note(ticket: Ticket, text: str, sid: str) -> None:
    """Add a resident's follow-up text to their open ticket."""
    add_event(ticket, "resident_note", RESIDENT, {"text": text, "channel": "sms", "sid": sid})
    db.session.commit()


def skip_receipt(ticket: Ticket) -> None:
    """Do not send the SMS receipt of a ticket whose number the SMS reply already gave."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.ticket_id == ticket.id,
            OutboxMessage.kind == "resident_receipt",
            OutboxMessage.state == "pending",
        )
        .values(state="skipped", last_error="number given in the SMS reply")
    )
    db.session.commit()
