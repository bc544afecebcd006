"""Marshmallow schemas of the statistics API."""

from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hotline.stats.window import EARLIEST, LATEST, MAX_DAYS

BYS = ("department", "org_unit", "day")
_IN_CALENDAR = validate.Range(
    min=EARLIEST, max=LATEST, error=f"must be between {EARLIEST} and {LATEST}"
)


class _WindowSchema(Schema):
    from_ = fields.Date(data_key="from", load_default=None, validate=_IN_CALENDAR)
    to = fields.Date(load_default=None, validate=_IN_CALENDAR)

    @validates_schema
    def _order(self, data: dict, **_: object) -> None:
        first, last = data.get("from_"), data.get("to")
        if first and last:
            if first > last:
                raise ValidationError("must not be after 'to'", "from")
            if last - first > timedelta(days=MAX_DAYS - 1):
                raise ValidationError(f"the window is at most {MAX_DAYS} days", "from")


class RatesQuerySchema(_WindowSchema):
    """Filters of GET /api/v1/stats/rates."""

    org_unit = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4,12}$"))
    by = fields.String(load_default="department", validate=validate.OneOf(BYS))


class RequestsQuerySchema(_WindowSchema):
    """Filters of GET /api/v1/stats/requests."""

    org_unit = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4,12}$"))


class PublicQuerySchema(_WindowSchema):
    """Filters of GET /api/v1/stats/public."""
