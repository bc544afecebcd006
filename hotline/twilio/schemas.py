"""The webhook form fields Twilio sends, as marshmallow schemas.

Twilio adds fields over time (AccountSid, FromCity, ApiVersion …), so unknown fields are
excluded rather than rejected: a new Twilio field must never break a resident's call.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

_sid = fields.String(required=True, validate=validate.Length(min=2, max=64))


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_to_missing(self, data: Any, **_: Any) -> Any:
        # NUL characters cannot be stored in PostgreSQL text; nothing a resident says needs them.
        cleaned = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v not in ("", None)}


class VoiceStep(_Base):
    """A step of the voice flow: the caller's keys, speech or recording."""

    CallSid = _sid
    From = fields.String(load_default="", validate=validate.Length(max=64))
    Digits = fields.String(load_default="", validate=validate.Length(max=64))
    SpeechResult = fields.String(load_default="", validate=validate.Length(max=4000))
    Confidence = fields.Float(load_default=None)
    RecordingUrl = fields.String(load_default=None, validate=validate.Length(max=500))
    RecordingSid = fields.String(load_default=None, validate=validate.Length(max=64))
    RecordingDuration = fields.Integer(load_default=None)
    DialCallStatus = fields.String(load_default=None, validate=validate.Length(max=32))


class CallStatus(_Base):
    """A call status callback."""

    CallSid = _sid
    From = fields.String(load_default="", validate=validate.Length(max=64))
    CallStatus = fields.String(required=True, validate=validate.Length(max=16))
    CallDuration = fields.Integer(load_default=None)


class RecordingStatus(_Base):
    """A recording status callback."""

    CallSid = _sid
    RecordingSid = fields.String(required=True, validate=validate.Length(min=2, max=64))
    RecordingUrl = fields.String(load_default=None, validate=validate.Length(max=500))
    RecordingStatus = fields.String(load_default="completed", validate=validate.Length(max=16))
    RecordingDuration = fields.Integer(load_default=None)


def _media_url() -> fields.String:
    return fields.String(validate=validate.Length(max=500))


class InboundSms(_Base):
    """An inbound text message."""

    MessageSid = fields.String(required=True, validate=validate.Length(min=2, max=64))
    From = fields.String(required=True, validate=validate.Length(max=64))
    Body = fields.String(load_default="", validate=validate.Length(max=20000))
    NumMedia = fields.Integer(load_default=0, validate=validate.Range(0, 10))
    # MediaUrl0 … MediaUrl9: the MMS photos, fetched with the account's credentials.
    MediaUrl0 = _media_url()
    MediaUrl1 = _media_url()
    MediaUrl2 = _media_url()
    MediaUrl3 = _media_url()
    MediaUrl4 = _media_url()
    MediaUrl5 = _media_url()
    MediaUrl6 = _media_url()
    MediaUrl7 = _media_url()
    MediaUrl8 = _media_url()
    MediaUrl9 = _media_url()

    def media_urls(self, data: dict[str, Any]) -> list[str]:
        """Return the media URLs of a loaded message, in order."""
        return [data[f"MediaUrl{i}"] for i in range(data["NumMedia"]) if f"MediaUrl{i}" in data]


class SmsStatus(_Base):
    """A delivery status callback of an outbound message."""

    MessageSid = fields.String(required=True, validate=validate.Length(min=2, max=64))
    MessageStatus = fields.String(required=True, validate=validate.Length(max=16))
    ErrorCode = fields.String(load_default=None, validate=validate.Length(max=16))


def load(schema: type[Schema], form: dict[str, Any]) -> dict[str, Any] | None:
    """Return the parsed fields, or None when Twilio (or someone else) sent rubbish."""
    try:
        return schema().load(form)
    except ValidationError:
        return None
