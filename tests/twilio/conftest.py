"""Fixtures of the Twilio tests: a token, signed webhook posts, TwiML parsing, a fake Twilio."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from tests.support.fake_twilio import FakeTwilio
from tests.support.twilio import PUBLIC, TOKEN


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
