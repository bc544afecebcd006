"""Upload and download attachments: staff in scope through the API (residents: web.portal)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request
from marshmallow import Schema, fields

from hotline.attachments import operations as ops
from hotline.attachments.models import Attachment
from hotline.core.errors import Forbidden, NotFound
from hotline.tickets import operations as tickets
from hotline.users.tokens import current_actor

bp = Blueprint("attachments", __name__)


class UploadSchema(Schema):
    """The text fields of an upload: whether the resident may see the files."""

    public = fields.Boolean(load_default=False)


def file_response(row: Attachment) -> Response:
    response = Response(ops.content(row), mimetype=row.content_type)
    name = quote(row.filename)
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=300"
    # A PDF or a video opened directly must not run anything in the site's origin.
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


@bp.post("/api/v1/tickets/<number>/attachments")
def upload(number: str):
    """Attach files (multipart field ``file``) to a ticket in the caller's scope."""
    actor = current_actor()
    if not actor.is_staff:
        raise Forbidden("staff only")
    args = UploadSchema().load({k: v for k, v in request.form.items() if k == "public"})
    files = ops.read_uploads(request.files.getlist("file"), "file")
    rows = ops.upload(number, files, actor, args["public"])
    items = [ops.attachment_json(r, number) for r in rows]
    body = {**items[0], "items": items} if len(items) == 1 else {"items": items}
    return jsonify(body), 201


@bp.get("/api/v1/tickets/<number>/attachments")
def index(number: str):
    """List a ticket's attachments (staff in scope)."""
    actor = current_actor()
    ticket = tickets.get_ticket(number, actor)
    return jsonify({"items": [ops.attachment_json(r, number) for r in ops.of_ticket(ticket)]})


@bp.get("/api/v1/tickets/<number>/attachments/<int:attachment_id>")
def download(number: str, attachment_id: int):
    """Send one file to staff who may see the ticket (others: 404, as for the ticket)."""
    actor = current_actor()
    if not actor.is_staff:
        raise NotFound()
    ticket = tickets.get_ticket(number, actor)
    return file_response(ops.find(ticket, attachment_id))
