"""Send SMS with the twilio REST client (its base URL can point at a local fake in tests)."""

from __future__ import annotations

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from hotline.core.config import Settings
from hotline.core.phones import e164
from hotline.notifications.models import OutboxMessage
from hotline.notifications.senders import SendError, SendResult


def client_for(settings: Settings) -> Client:
    """Return a Twilio client; TWILIO_API_BASE redirects it (a local fake Twilio in tests)."""
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=TwilioHttpClient(timeout=settings.twilio_timeout),
    )
    if settings.twilio_api_base:
        # Every REST call goes through the Api domain, so its base URL redirects them all.
        client.api.base_url = settings.twilio_api_base.rstrip("/")
    return client


def send_sms(message: OutboxMessage, settings: Settings) -> SendResult:
    """Send one SMS and return Twilio's sid and status."""
    callback = f"{settings.public_url}/twilio/sms/status" if settings.public_url else None
    try:
        sent = client_for(settings).messages.create(
            to=e164(message.to),
            from_=settings.twilio_from_number,
            body=message.body,
            status_callback=callback,
        )
    except (TwilioRestException, TwilioException, OSError) as exc:
        raise SendError(str(exc)) from exc
    return SendResult(sid=sent.sid, status=sent.status or "queued")
