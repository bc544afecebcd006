"""The Twilio webhooks: voice steps, inbound SMS and the status callbacks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from hotline.core.extensions import db
from hotline.twilio import operations as ops
from hotline.twilio import schemas, sms, tasks, voice
from hotline.twilio.models import CallSession
from hotline.twilio.security import twilio_webhook
from hotline.twilio.texts import say_text, sms_text

log = logging.getLogger("hotline.twilio")
bp = Blueprint("twilio", __name__, url_prefix="/twilio")


def _twiml(body: object) -> Response:
    return Response(str(body), mimetype="application/xml")


def _voice_error(lang: str = "zh") -> Response:
    response = VoiceResponse()
    language, voice_name = voice.VOICES[lang]
    response.say(say_text(lang, "error"), language=language, voice=voice_name)
    response.hangup()
    return _twiml(response)


STEPS: dict[str, Callable[[CallSession, dict], VoiceResponse]] = {
    "menu": lambda s, f: voice.menu(s, f["Digits"], datetime.now(UTC)),
    "type": lambda s, f: voice.choose_type(s, f["Digits"]),
    "matter": lambda s, f: voice.matter(s, f["SpeechResult"], f["Confidence"]),
    "matter-recorded": lambda s, f: voice.matter_recorded(
        s, f["RecordingUrl"], f["RecordingSid"], f.get("RecordingDuration")
    ),
    "place": lambda s, f: voice.place(s, f["SpeechResult"]),
    "lookup": lambda s, f: voice.lookup(s, f["Digits"]),
    "dial-done": lambda s, f: voice.dial_done(s, f["DialCallStatus"]),
    "message": lambda s, f: voice.message_left(
        s, f["RecordingUrl"], f["RecordingSid"], f.get("RecordingDuration")
    ),
}


@bp.post("/voice")
@twilio_webhook
def voice_answer() -> Response:
    """Answer a call with the emergency notice, the welcome and the menu."""
    return _voice_step(None)


@bp.post("/voice/<step>")
@twilio_webhook
def voice_step(step: str) -> Response:
    """Take the caller's input at one step of the menu."""
    if step not in STEPS:
        return _voice_error()
    return _voice_step(step)


def _voice_step(step: str | None) -> Response:
    fields = schemas.load(schemas.VoiceStep, request.form.to_dict())
    if fields is None:
        return _voice_error()
    try:
        session = ops.session_for(fields["CallSid"], fields["From"])
        if step is None:
            return _twiml(voice.greeting(session))
        return _twiml(STEPS[step](session, fields))
    except Exception:
        # A caller must hear a sentence, never Twilio's "application error".
        log.exception("voice step %s failed for %s", step, fields["CallSid"])
        db.session.rollback()
        return _voice_error()


@bp.post("/voice/status")
@twilio_webhook
def voice_status() -> Response:
    """Record a call status callback (they may arrive out of order)."""
    fields = schemas.load(schemas.CallStatus, request.form.to_dict())
    if fields is None:
        return Response("bad request", status=400, mimetype="text/plain")
    ops.record_call_status(
        fields["CallSid"], fields["From"], fields["CallStatus"], fields["CallDuration"]
    )
    return Response(status=204)


@bp.post("/recording")
@twilio_webhook
def recording_status() -> Response:
    """Record a recording status callback and attach the recording to the call's ticket."""
    fields = schemas.load(schemas.RecordingStatus, request.form.to_dict())
    if fields is None:
        return Response("bad request", status=400, mimetype="text/plain")
    ops.record_recording(
        fields["CallSid"],
        fields["RecordingSid"],
        fields["RecordingUrl"],
        fields["RecordingStatus"],
        fields["RecordingDuration"],
    )
    return Response(status=204)


@bp.post("/sms")
@twilio_webhook
def sms_inbound() -> Response:
    """Answer an inbound SMS."""
    fields = schemas.load(schemas.InboundSms, request.form.to_dict())
    if fields is None:
        response = MessagingResponse()
        response.message(sms_text("empty"))
        return _twiml(response)
    media = schemas.InboundSms().media_urls(fields)
    try:
        return _twiml(sms.handle(fields["MessageSid"], fields["From"], fields["Body"], media))
    except Exception:
        log.exception("inbound SMS %s failed", fields["MessageSid"])
        db.session.rollback()
        # No TwiML message: Twilio retries nothing, so the resident is not told twice.
        return _twiml(MessagingResponse())


@bp.post("/sms/status")
@twilio_webhook
def sms_status() -> Response:
    """Update the outbox row of an outbound message with its delivery status."""
    fields = schemas.load(schemas.SmsStatus, request.form.to_dict())
    if fields is None:
        return Response("bad request", status=400, mimetype="text/plain")
    args = (fields["MessageSid"], fields["MessageStatus"], fields["ErrorCode"])
    if not ops.record_sms_status(*args):
        tasks.apply_later(*args)
    return Response(status=204)
