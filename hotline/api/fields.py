"""Marshmallow fields shared by the API schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from hotline.core.phones import normalise


class Phone(fields.String):
    """A mainland mobile or landline number, normalised to its digits."""

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
