"""Mainland China phone numbers: validate, normalise and mask."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_STRIP = re.compile(r"[\s\-()（）]")


def normalise(raw: str) -> str | None:
    """Return the canonical digits of a mainland mobile or landline number, or None."""
    value = _STRIP.sub("", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return value
    return None


def mask(phone: str) -> str:
    """Hide the middle of a number: 13812341234 → 138****1234."""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def e164(phone: str) -> str:
    """Return the number in E.164 form for SMS (+86…)."""
    if phone.startswith("+"):
        return phone
    return "+86" + phone.lstrip("0") if phone.startswith("0") else "+86" + phone
