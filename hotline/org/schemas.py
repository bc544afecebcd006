"""Schemas of the org-unit and department lists and of the admin's department form."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Phone
from hotline.org.models import FUNCTIONS, LEVELS


class OrgUnitQuerySchema(Schema):
    """Filters of GET /api/v1/org-units."""

    level = fields.String(validate=validate.OneOf(LEVELS))
    parent = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    q = fields.String(validate=validate.Length(1, 50))


class DepartmentQuerySchema(Schema):
    """Filters of GET /api/v1/departments."""

    org_unit = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    function = fields.String(validate=validate.OneOf(FUNCTIONS))
    level = fields.String(validate=validate.OneOf(LEVELS))
    q = fields.String(validate=validate.Length(1, 50))


class OrgUnitSchema(Schema):
    """One org unit."""

    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.String(allow_none=True)


class DepartmentSchema(Schema):
    """One department."""

    code = fields.String()
    name = fields.String()
    function = fields.String()
    level = fields.String()
    org_unit_code = fields.String()


class DepartmentEditSchema(Schema):
    """A department's duty phone and whether it takes tickets."""

    duty_phone = Phone(load_default=None, allow_none=True)
    active = fields.Boolean(required=True)
