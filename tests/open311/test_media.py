"""Open311 media_url: a worker fetches the photo once (public hosts only) and keeps it clean."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from hotline.attachments.models import Attachment
from hotline.attachments.tasks import fetch_open311_media
from hotline.core.extensions import db
from hotline.tickets.models import Ticket, TicketEvent
from tests.support.images import jpeg_with_gps


@pytest.fixture
def configure(app: Any) -> Iterator[Any]:
    """Change the app's settings for one test (restored afterwards)."""
    original = app.config["HOTLINE"]

    def change(**fields: Any) -> None:
        app.config["HOTLINE"] = dataclasses.replace(app.config["HOTLINE"], **fields)

    yield change
    app.config["HOTLINE"] = original


@pytest.fixture
def photo_host() -> Iterator[str]:
    """A local web server with one photo, as a resident's app would host it."""
    body = jpeg_with_gps()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            found = self.path == "/p.jpg"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            if found:
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _ticket(app: Any) -> tuple[int, str]:
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        return ticket.id, ticket.media_url


def test_media_url_photo_is_fetched_by_a_worker(
    app, post_request, configure, photo_host, redis_url
):
    configure(media_fetch_private=True)
    response = post_request(media_url=f"{photo_host}/p.jpg")
    assert response.status_code in (200, 201), response.data
    ticket_id, url = _ticket(app)
    queued = Queue("default", connection=Redis.from_url(redis_url)).job_ids
    assert f"media-{ticket_id}" in queued
    assert fetch_open311_media(ticket_id) is True
    assert fetch_open311_media(ticket_id) is True  # twice: still one file
    with app.app_context():
        [row] = db.session.scalars(select(Attachment)).all()
        assert (row.source, row.public, row.source_ref) == ("open311", True, url)
        assert row.content_type == "image/jpeg"


def test_media_url_inside_the_network_is_refused(app, post_request, photo_host):
    post_request(media_url=f"{photo_host}/p.jpg")
    ticket_id, _ = _ticket(app)
    assert fetch_open311_media(ticket_id) is False
    with app.app_context():
        assert db.session.scalars(select(Attachment)).all() == []
        notes = db.session.scalars(select(TicketEvent.data).where(TicketEvent.action == "note"))
        assert any("未能获取" in n["text"] for n in notes)
