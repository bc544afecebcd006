"""``hotline simulate`` against a real HTTP server running the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from tests.support.twilio import TOKEN


@pytest.fixture
def server(app: Any, configure: Any) -> Iterator[str]:
    """The app served over HTTP in a thread; the CLI signs for this URL."""
    configure(twilio_auth_token=TOKEN, public_url=None)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_simulate_sms_and_call(app: Any, server: str) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["simulate", "sms", "--url", server, "--from", "+8613800000000", "小区门口有人乱停车"]
    )
    assert result.exit_code == 0, result.output
    assert "<Message>【12345】您的诉求已受理" in result.output
    assert "Outbox: 1 message(s)" in result.output
    result = runner.invoke(
        args=["simulate", "call", "--url", server, "--from", "+8613912345678",
              "--digits", "1", "--digits", "6", "--speech", "环卫工人很负责", "--speech", "青羊区"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert 'language="cmn-Hans-CN"' in result.output and "<Hangup/>" in result.output
    with app.app_context():
        types = db.session.scalars(select(Ticket.type).order_by(Ticket.id)).all()
    assert types == ["complaint", "praise"]


def test_simulate_refuses_without_token(app: Any, configure: Any) -> None:
    configure(twilio_auth_token=None, twilio_dev_mode=False)
    result = app.test_cli_runner().invoke(args=["simulate", "sms", "hi"])
    assert result.exit_code != 0 and "TWILIO_AUTH_TOKEN" in result.output
