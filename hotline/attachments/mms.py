"""Fetch the photos of an MMS (Twilio's MediaUrl0…) with the account's credentials."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from hotline.attachments.files import clean
from hotline.attachments.models import Attachment
from hotline.attachments.operations import add_files
from hotline.core.actors import RESIDENT, SYSTEM
from hotline.core.context import settings
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from hotline.tickets.timeline import add_event

log = logging.getLogger("hotline.twilio")
TWILIO_MEDIA_HOSTS = ("api.twilio.com", "media.twiliocdn.com")


def _allowed(url: str) -> bool:
    """Only Twilio's own hosts (or the configured fake one): the URL came from a webhook."""
    parts = urlsplit(url)
    hosts: set[str] = set(TWILIO_MEDIA_HOSTS)
    if settings().twilio_api_base:
        hosts.add(str(urlsplit(settings().twilio_api_base).netloc))
        return parts.netloc in hosts and parts.scheme in ("http", "https")
    return parts.netloc in hosts and parts.scheme == "https"


def fetch(url: str) -> bytes:
    """Download one media file (at most the upload limit) with the Twilio credentials."""
    cfg = settings()
    auth = (cfg.twilio_account_sid or "", cfg.twilio_auth_token or "")
    with requests.get(url, auth=auth, timeout=cfg.twilio_timeout, stream=True) as response:
        response.raise_for_status()
        return response.raw.read(cfg.upload_max_bytes + 1, decode_content=True)


def attach_media(ticket: Ticket, urls: list[str]) -> int:
    """Attach the MMS media to the ticket once each; a failure is noted, never raised."""
    stored = 0
    for url in urls[: settings().upload_max_files]:
        known = select(Attachment.id).where(
            Attachment.ticket_id == ticket.id, Attachment.source_ref == url
        )
        if db.session.scalar(known) is not None:
            continue
        try:
            if not _allowed(url):
                raise ValueError("not a Twilio media URL")
            cleaned = clean(fetch(url), url.rsplit("/", 1)[-1], settings().upload_max_bytes)
        except (requests.RequestException, ValueError, DomainError) as exc:
            log.warning("MMS media %s of %s not attached: %s", url, ticket.number, exc)
            add_event(ticket, "note", SYSTEM, {"text": "彩信图片未能获取", "media_url": url[:300]})
            db.session.commit()
            continue
        add_files(ticket, [cleaned], RESIDENT, "mms", public=True, source_ref=url[:500])
        db.session.commit()
        stored += 1
    return stored
