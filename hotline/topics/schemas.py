"""What opening a topic, giving it a task, finishing a task and closing it take."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Text
from hotline.core.vocabulary import FUNCTIONS


class TopicCreateSchema(Schema):
    """A topic from a hotspot (function + org_unit) or from an early warning (warning_id)."""

    title = Text(required=True, validate=validate.Length(1, 120))
    description = Text(load_default=None, allow_none=True, validate=validate.Length(0, 4000))
    function = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FUNCTIONS))
    org_unit = fields.String(load_default=None, allow_none=True,
                             validate=validate.Regexp(r"^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$"))  # fmt: skip
    warning_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1))
    month = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$"))  # fmt: skip


class TaskCreateSchema(Schema):
    """A task with its owner department and due date."""

    title = Text(required=True, validate=validate.Length(1, 200))
    department = fields.String(required=True, validate=validate.Length(1, 40))
    due = fields.Date(required=True)


class TaskDoneSchema(Schema):
    """Finishing a task, with what was done."""

    note = Text(load_default=None, allow_none=True, validate=validate.Length(0, 2000))


class TopicCloseSchema(Schema):
    """Closing a topic with its summary."""

    summary = Text(required=True, validate=validate.Length(1, 4000))
