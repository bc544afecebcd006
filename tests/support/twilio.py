"""Twilio test helpers: the auth token, fresh ids and TwiML parsing."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from typing import Any

TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "http://hotline.test"
_sids = itertools.count(1)


def new_sid(prefix: str) -> str:
    """Return a fresh Twilio-style id."""
    return f"{prefix}{next(_sids):032x}"


def twiml(response: Any) -> ET.Element:
    """Parse a TwiML answer, checking it is a 200 XML <Response>."""
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return root
