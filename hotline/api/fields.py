"""Marshmallow fields shared by the API schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from hotline.core.phones import normalise

# The documented form (OpenAPI ``pattern``): a mobile, optionally +86, or a landline with its
# area code. The field also accepts these with spaces, dashes or brackets, and normalises.
PHONE_PATTERN = r"^(?:(?:\+86|0086)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"


class Phone(fields.String):
    """A mainland mobile or landline number, normalised to its digits."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": PHONE_PATTERN, "example": "13812345678"}
        super().__init__(**{**kwargs, "metadata": {**metadata, **kwargs.get("metadata", {})}})

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        phone = normalise(text)
        if phone is None:
            raise ValidationError(
                "not a mainland phone number (mobile 1xxxxxxxxxx or landline 0xx-xxxxxxxx)"
            )
        return phone


class Text(fields.String):
    """A string stripped of surrounding space; blank counts as missing for required fields."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters")
        return text
