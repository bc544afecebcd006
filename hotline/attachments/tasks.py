"""RQ jobs of the attachments: fetch the photo of an Open311 request once."""

from __future__ import annotations

import logging

from sqlalchemy import select

from hotline.attachments.files import clean
from hotline.attachments.models import Attachment
from hotline.attachments.operations import add_files
from hotline.attachments.remote import RemoteRefused, fetch
from hotline.core.actors import RESIDENT, SYSTEM
from hotline.core.context import settings
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.tasks.app import with_app
from hotline.tasks.queues import DEFAULT, get_queue
from hotline.tickets.models import Ticket
from hotline.tickets.timeline import add_event

log = logging.getLogger("hotline.attachments")
FETCH_JOB = "hotline.attachments.tasks.fetch_open311_media"


def schedule_media_fetch(ticket: Ticket) -> None:
    """Queue the fetch of a ticket's media_url; without Redis the link stays on the ticket."""
    if not ticket.media_url:
        return
    try:
        get_queue(DEFAULT).enqueue(FETCH_JOB, ticket.id, job_id=f"media-{ticket.id}")
    except Exception as exc:  # Redis down: the ticket and its link are kept all the same
        log.warning("media of ticket %s not queued: %s", ticket.number, exc)


@with_app
def fetch_open311_media(ticket_id: int) -> bool:
    """Fetch, check and keep the photo of an Open311 request (safe to run twice)."""
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or not ticket.media_url:
        return False
    url = ticket.media_url
    known = select(Attachment.id).where(
        Attachment.ticket_id == ticket.id, Attachment.source_ref == url
    )
    if db.session.scalar(known) is not None:
        return True
    cfg = settings()
    try:
        data = fetch(url, cfg.upload_max_bytes, cfg.twilio_timeout, cfg.media_fetch_private)
        cleaned = clean(data, url.rsplit("/", 1)[-1].split("?")[0], cfg.upload_max_bytes)
    except (RemoteRefused, DomainError) as exc:
        log.warning("media %s of %s not kept: %s", url, ticket.number, exc)
        add_event(ticket, "note", SYSTEM, {"text": "Open311 图片未能获取，请查看外部链接"})
        db.session.commit()
        return False
    add_files(ticket, [cleaned], RESIDENT, "open311", public=True, source_ref=url[:500])
    db.session.commit()
    return True
