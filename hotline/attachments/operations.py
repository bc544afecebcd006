"""Store, list and serve a ticket's attachments; every write takes the acting user."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from hotline.attachments.files import EXTENSIONS, CleanFile, clean
from hotline.attachments.models import Attachment
from hotline.attachments.storage import storage
from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import FieldError, Forbidden, NotFound
from hotline.core.extensions import db
from hotline.core.permissions import can_see
from hotline.core.timeutil import isoformat
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.timeline import add_event

# A resident's link to a file (from /track or the API's tracking answer) lasts a day.
RESIDENT_LINK_AGE = 24 * 3600


def read_uploads(files: list[Any], field: str) -> list[CleanFile]:
    """Read and check uploaded files (werkzeug FileStorage); refuse all if one is bad."""
    files = [f for f in files if f is not None and (f.filename or "").strip()]
    limit = settings().upload_max_files
    if len(files) > limit:
        raise FieldError(field, f"at most {limit} files at a time")
    cleaned = []
    for upload in files:
        data = upload.stream.read(settings().upload_max_bytes + 1)
        cleaned.append(clean(data, upload.filename, settings().upload_max_bytes, field))
    return cleaned


def add_files(
    ticket: Ticket,
    files: list[CleanFile],
    actor: Actor,
    source: str,
    public: bool,
    event: TicketEvent | None = None,
    source_ref: str | None = None,
) -> list[Attachment]:
    """Store the files and attach them to ``ticket`` (and to ``event``, else a new one)."""
    if not files:
        return []
    if event is None:
        names = [f.filename for f in files]
        event = add_event(ticket, "attach", actor, {"files": names, "source": source},
                          ticket.status, ticket.status, public=public)  # fmt: skip
    db.session.flush()
    rows = []
    for f in files:
        key = f"{ticket.number}/{secrets.token_hex(16)}.{EXTENSIONS[f.content_type]}"
        storage().put(key, f.data, f.content_type)
        row = Attachment(
            ticket_id=ticket.id,
            event_id=event.id,
            filename=f.filename,
            content_type=f.content_type,
            size=len(f.data),
            storage_key=key,
            public=public,
            source=source,
            source_ref=source_ref,
            uploaded_by_id=actor.id,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def upload(number: str, files: list[CleanFile], actor: Actor, public: bool) -> list[Attachment]:
    """Attach staff files to a ticket in the actor's scope; commit."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise NotFound()
    if not actor.is_staff or not can_see(actor, ticket):
        raise Forbidden("this ticket is outside your scope")
    if not files:
        raise FieldError("file", "attach a file")
    rows = add_files(ticket, files, actor, "staff", public)
    db.session.commit()
    return rows


def of_ticket(ticket: Ticket, public_only: bool = False) -> list[Attachment]:
    """Return a ticket's attachments, oldest first."""
    stmt = select(Attachment).where(Attachment.ticket_id == ticket.id)
    if public_only:
        stmt = stmt.where(Attachment.public.is_(True))
    return list(db.session.scalars(stmt.order_by(Attachment.id)))


def find(ticket: Ticket, attachment_id: int, public_only: bool = False) -> Attachment:
    """Return one attachment of ``ticket`` (404 for another ticket's or a hidden one)."""
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.ticket_id != ticket.id or (public_only and not row.public):
        raise NotFound("attachment")
    return row


def content(row: Attachment) -> bytes:
    """Return the stored bytes."""
    return storage().get(row.storage_key)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hotline-attachment")


def resident_token(number: str, attachment_id: int) -> str:
    """Return the token of a resident's link to one public file."""
    return _signer().dumps([number, attachment_id])


def check_resident_token(token: str, number: str, attachment_id: int) -> bool:
    """Tell whether ``token`` opens this file of this ticket."""
    try:
        data = _signer().loads(token, max_age=RESIDENT_LINK_AGE)
    except BadSignature:
        return False
    return data == [number, attachment_id]


def attachment_json(row: Attachment, number: str, resident: bool = False) -> dict[str, Any]:
    """Return {id, filename, content_type, size, url, …}; the resident's url carries a token."""
    if resident:
        url = f"/track/{number}/attachments/{row.id}?t={resident_token(number, row.id)}"
    else:
        url = f"/api/v1/tickets/{number}/attachments/{row.id}"
    return {
        "id": row.id,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "url": url,
        "public": row.public,
        "source": row.source,
        "event_id": row.event_id,
        "created_at": isoformat(row.created_at, settings().timezone),
    }
