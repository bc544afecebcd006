"""Marshmallow schemas of the SLA API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.org.models import FUNCTIONS, LEVELS

SORTS = ("most_overdue", "least_overdue", "level", "number")


class OverdueQuerySchema(Schema):
    """Filters of the supervisors' overdue list."""

    org_unit = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    level = fields.String(validate=validate.OneOf(LEVELS))
    function = fields.String(validate=validate.OneOf(FUNCTIONS))
    department = fields.String(validate=validate.Length(1, 40))
    sort = fields.String(load_default="most_overdue", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))
