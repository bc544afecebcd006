"""Fixtures of the Twilio tests: a token, signed webhook posts, TwiML parsing, a fake Twilio."""

from __future__ import annotations

import dataclasses
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from tests.twilio.fake_twilio import FakeTwilio

TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "http://hotline.test"
_sids = itertools.count(1)


def new_sid(prefix: str) -> str:
    """Return a fresh Twilio-style id."""
    return f"{prefix}{next(_sids):032x}"


@pytest.fixture
def configure(app: Any) -> Iterator[Callable[..., None]]:
    """Change the app's settings for one test (restored afterwards)."""
    original = app.config["HOTLINE"]

    def change(**fields: Any) -> None:
        app.config["HOTLINE"] = dataclasses.replace(app.config["HOTLINE"], **fields)

    yield change
    app.config["HOTLINE"] = original


@pytest.fixture
def signed(client: Any, configure: Callable[..., None]) -> Callable[..., Any]:
    """POST form ``params`` to ``path`` signed as Twilio signs it."""
    configure(twilio_auth_token=TOKEN, public_url=PUBLIC)

    def post(path: str, params: dict[str, str], token: str = TOKEN) -> Any:
        signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return post


def twiml(response: Any) -> ET.Element:
    """Parse a TwiML answer, checking it is a 200 XML <Response>."""
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return root


@pytest.fixture
def fake_twilio(configure: Callable[..., None]) -> Iterator[FakeTwilio]:
    """A fake Twilio REST API the outbox sends to."""
    with FakeTwilio() as fake:
        configure(
            twilio_account_sid="AC" + "0" * 32,
            twilio_auth_token=TOKEN,
            twilio_from_number="+15005550006",
            twilio_api_base=fake.url,
            twilio_timeout=1,
        )
        yield fake
