"""The Twilio channel: voice and SMS webhooks in, SMS out."""

from __future__ import annotations

from hotline.channels import Channel
from hotline.core.config import Settings
from hotline.twilio.sender import send_sms
from hotline.twilio.views import bp


def configured(settings: Settings) -> bool:
    """Tell whether Twilio credentials and a sending number are set."""
    return bool(
        settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number
    )


CHANNEL = Channel("twilio", "/twilio/", bp, sender=send_sms, configured=configured)
