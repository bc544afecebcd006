"""The assessment query: which month, at which level."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.assessment.operations import LEVELS

MONTH = validate.Regexp(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$", error="expected YYYY-MM")


class AssessmentQuerySchema(Schema):
    """``month`` (YYYY-MM) and ``level`` (district, township or department)."""

    month = fields.String(required=True, validate=MONTH)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
