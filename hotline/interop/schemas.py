"""What the 110 platform sends when it hands a non-police matter to the hotline."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Phone, Text
from hotline.tickets.models import TYPES


class HandoverSchema(Schema):
    """One record handed over by 110 (a non-police matter, 非警务类诉求)."""

    # 110's own incident number: handing the same record over twice opens one ticket.
    external_id = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._:-]{1,64}$"))
    description = Text(required=True, validate=validate.Length(1, 4000))
    phone = Phone(required=True)
    type = fields.String(load_default="help", validate=validate.OneOf(TYPES))
    name = Text(load_default=None, allow_none=True, validate=validate.Length(1, 50))
    address = Text(load_default=None, allow_none=True, validate=validate.Length(0, 200))
    community_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$"),
    )
    urgent = fields.Boolean(load_default=False)
    received_at = fields.AwareDateTime(load_default=None, allow_none=True)
    operator = Text(load_default=None, allow_none=True, validate=validate.Length(1, 50))
