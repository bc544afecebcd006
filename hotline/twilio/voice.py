"""The voice menu: each step reads the caller's input and returns the next TwiML."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from twilio.twiml.voice_response import Gather, VoiceResponse

from hotline.core.context import settings
from hotline.core.errors import NotFound
from hotline.tickets.operations import track
from hotline.twilio import operations as ops
from hotline.twilio.models import CallSession
from hotline.twilio.texts import STATUS_NAMES, TYPE_KEYS, say_text

VOICES = {"zh": ("cmn-CN", "Polly.Zhiyu"), "en": ("en-US", "Polly.Joanna")}
SPEECH_LANG = {"zh": "cmn-Hans-CN", "en": "en-US"}
MIN_CONFIDENCE = 0.2
MAX_TRIES = 3

# What a phone ticket says until an operator or the recording says more.
OPERATOR_TEXT = "来电转人工（通话中）"
MESSAGE_TEXT = "（来电留言，请听录音）"


def _say(node: VoiceResponse | Gather, lang: str, key: str, **fmt: Any) -> None:
    language, voice = VOICES[lang]
    node.say(say_text(lang, key, **fmt), language=language, voice=voice)


def _url(step: str) -> str:
    return f"/twilio/voice/{step}"


def _menu(response: VoiceResponse, lang: str, intro: bool) -> VoiceResponse:
    gather = response.gather(num_digits=1, action=_url("menu"), method="POST", timeout=6)
    if intro:
        _say(gather, "zh", "emergency")
        if settings().interop_110_transfer_number:
            _say(gather, "zh", "emergency_transfer_offer")
        _say(gather, "zh", "welcome", city=settings().city_name)
        _say(gather, "en", "english_offer")
    _say(gather, lang, "menu")
    response.redirect(_url("menu"), method="POST")
    return response


def greeting(session: CallSession) -> VoiceResponse:
    """Answer a call: the emergency notice first, then the welcome and the menu."""
    return _menu(VoiceResponse(), session.lang, intro=True)


def in_office_hours(now: datetime) -> bool:
    """Tell whether operators take calls at ``now`` (aware), in the city's time."""
    local = now.astimezone(ZoneInfo(settings().timezone))
    start, end = settings().office_hours
    return start <= local.hour * 60 + local.minute < end


def menu(session: CallSession, digits: str, now: datetime) -> VoiceResponse:
    """Act on the menu key: 1 new request, 2 status, 0 operator, 9 English."""
    response = VoiceResponse()
    lang = session.lang
    if digits == "9":
        session.lang = "en"
        ops.save_step(session, "menu")
        return _menu(response, "en", intro=False)
    if digits == "1":
        ops.save_step(session, "type")
        gather = response.gather(num_digits=1, action=_url("type"), method="POST", timeout=6)
        _say(gather, lang, "type_menu")
        response.redirect(_url("type"), method="POST")
        return response
    if digits == "2":
        ops.save_step(session, "lookup")
        gather = response.gather(
            num_digits=14, finish_on_key="#", action=_url("lookup"), method="POST", timeout=10
        )
        _say(gather, lang, "ask_number")
        response.redirect(_url("lookup"), method="POST")
        return response
    if digits == "0":
        return operator(session, now)
    if digits == "*" and settings().interop_110_transfer_number:
        return transfer_to_110(session)
    return _retry(session, response, "no_input" if not digits else "bad_key", "menu")


def _retry(session: CallSession, response: VoiceResponse, key: str, step: str) -> VoiceResponse:
    """Say what went wrong and offer the main menu again; hang up after a few tries."""
    tries = int((session.data or {}).get("tries", 0)) + 1
    ops.save_step(session, "menu", tries=tries, failed_step=step)
    _say(response, session.lang, key)
    if tries >= MAX_TRIES:
        _say(response, session.lang, "goodbye")
        response.hangup()
        return response
    return _menu(response, session.lang, intro=False)


def operator(session: CallSession, now: datetime) -> VoiceResponse:
    """Put the caller through to the operator with the ticket open, or take a message."""
    response = VoiceResponse()
    number = settings().twilio_operator_number
    if not number or not in_office_hours(now):
        return leave_message(session)
    ops.ticket_for_call(session, {"type": "consultation", "description": OPERATOR_TEXT})
    ops.save_step(session, "operator")
    _say(response, session.lang, "connecting")
    dial = response.dial(action=_url("dial-done"), method="POST", timeout=20)
    dial.number(number)
    return response


def dial_done(session: CallSession, status: str | None) -> VoiceResponse:
    """After the operator call: hang up, or take a message when nobody answered."""
    if status == "completed":
        response = VoiceResponse()
        response.hangup()
        return response
    return leave_message(session)


def _record(response: VoiceResponse, step: str) -> None:
    """Record up to two minutes after a beep; its status callback attaches it to the ticket."""
    response.record(
        action=_url(step),
        method="POST",
        max_length=120,
        play_beep=True,
        recording_status_callback="/twilio/recording",
        recording_status_callback_method="POST",
    )


def leave_message(session: CallSession) -> VoiceResponse:
    """Ask for a message after the tone; it becomes a ticket."""
    ops.save_step(session, "message")
    response = VoiceResponse()
    _say(response, session.lang, "leave_message")
    _record(response, "message")
    _say(response, session.lang, "goodbye")
    response.hangup()
    return response


def message_left(
    session: CallSession, url: str | None, sid: str | None, duration: int | None = None
) -> VoiceResponse:
    """Turn the message just recorded into a ticket and read its number."""
    if sid:
        ops.record_recording(session.call_sid, sid, url, "completed", duration)
    if not url and not sid:
        return _retry(session, VoiceResponse(), "no_input", "menu")
    ticket = ops.ticket_for_call(session, {"type": "help", "description": MESSAGE_TEXT})
    # Nobody answered the transfer: the ticket opened for it becomes the message's ticket.
    ops.replace_placeholder(ticket, OPERATOR_TEXT, {"type": "help", "description": MESSAGE_TEXT})
    return _read_number(session, ticket.number)


def choose_type(session: CallSession, digits: str) -> VoiceResponse:
    """Take the ticket type key, then ask for the matter by speech."""
    if digits not in TYPE_KEYS:
        return _retry(session, VoiceResponse(), "bad_key", "type")
    ops.save_step(session, "matter", type=TYPE_KEYS[digits], tries=0)
    return _ask_speech(session, "ask_matter", "matter")


def _ask_speech(session: CallSession, key: str, step: str) -> VoiceResponse:
    response = VoiceResponse()
    gather = response.gather(
        input="speech",
        language=SPEECH_LANG[session.lang],
        action=_url(step),
        method="POST",
        speech_timeout="auto",
        timeout=6,
    )
    _say(gather, session.lang, key)
    response.redirect(_url(step), method="POST")
    return response


def matter(session: CallSession, speech: str, confidence: float | None) -> VoiceResponse:
    """Keep the spoken matter, or fall back to a recording when speech was not understood."""
    if "type" not in (session.data or {}):
        return _retry(session, VoiceResponse(), "bad_key", "menu")
    if speech.strip() and (confidence is None or confidence >= MIN_CONFIDENCE):
        ops.save_step(session, "place", description=speech.strip()[:2000])
        return _ask_speech(session, "ask_place", "place")
    ops.save_step(session, "matter_record")
    response = VoiceResponse()
    _say(response, session.lang, "not_understood")
    _record(response, "matter-recorded")
    response.redirect(_url("matter-recorded"), method="POST")
    return response


def matter_recorded(
    session: CallSession, url: str | None, sid: str | None, duration: int | None = None
) -> VoiceResponse:
    """Keep the recorded matter, then ask for the place."""
    if sid:
        ops.record_recording(session.call_sid, sid, url, "completed", duration)
    ops.save_step(session, "place", description="（市民语音描述，请听录音）", recording_url=url)
    return _ask_speech(session, "ask_place", "place")


def place(session: CallSession, speech: str) -> VoiceResponse:
    """Take the place, open the ticket and read its number back digit by digit."""
    data = session.data or {}
    if "type" not in data or "description" not in data:
        return _retry(session, VoiceResponse(), "bad_key", "menu")
    fields = {
        "type": data["type"],
        "description": data["description"],
        "address": speech.strip()[:200] or None,
    }
    ticket = ops.ticket_for_call(session, fields)
    return _read_number(session, ticket.number, emergency=ticket.proposal.is_emergency)


def transfer_to_110(session: CallSession) -> VoiceResponse:
    """Put an emergency caller through to the 110 platform's number."""
    ops.save_step(session, "transfer_110")
    response = VoiceResponse()
    _say(response, session.lang, "transfer_110")
    response.dial(timeout=30).number(settings().interop_110_transfer_number)
    return response


def _read_number(session: CallSession, number: str, emergency: bool = False) -> VoiceResponse:
    ops.save_step(session, "done")
    response = VoiceResponse()
    if emergency and settings().interop_110_transfer_number:
        # The ticket keeps the record; the caller goes straight on to 110.
        _say(response, session.lang, "ticket_number", digits=ops.spoken_digits(number))
        _say(response, session.lang, "transfer_110")
        response.dial(timeout=30).number(settings().interop_110_transfer_number)
        return response
    if emergency:
        _say(response, "zh", "emergency")
    _say(response, session.lang, "ticket_number", digits=ops.spoken_digits(number))
    # Only a mainland mobile gets the receipt by SMS; say so only then.
    _say(response, session.lang, "sms_sent" if ops.is_mobile(session.caller) else "goodbye")
    response.hangup()
    return response


def lookup(session: CallSession, digits: str) -> VoiceResponse:
    """Speak the status of the ticket keyed in, if it was raised from this phone."""
    if not ops.is_mainland(session.caller):
        # Hidden and foreign callers cannot prove by their number that the ticket is theirs.
        response = VoiceResponse()
        _say(response, session.lang, "lookup_needs_number")
        response.hangup()
        return response
    number = ops.ticket_number(digits) if digits.strip("#*").isdigit() else None
    if number is None:
        return _retry(session, VoiceResponse(), "bad_number", "menu")
    try:
        ticket = track(number, session.caller)
    except NotFound:
        return _retry(session, VoiceResponse(), "not_found", "menu")
    response = VoiceResponse()
    status = STATUS_NAMES[session.lang].get(ticket.status, ticket.status)
    _say(response, session.lang, "status", digits=ops.spoken_digits(number), status=status)
    _say(response, session.lang, "goodbye")
    response.hangup()
    return response
