"""Fixtures borrowed from the consoles', Twilio's and Open311's tests."""

from tests.open311.conftest import api_key, post_request  # noqa: F401
from tests.twilio.conftest import configure, signed  # noqa: F401
from tests.web.conftest import nocsrf, signin  # noqa: F401
