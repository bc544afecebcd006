"""Input of the knowledge base: search queries and admin edits."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Text


class ArticleSchema(Schema):
    """An article as an admin writes it."""

    title = Text(required=True, validate=validate.Length(1, 120))
    body = Text(required=True, validate=validate.Length(1, 8000))
    keywords = Text(load_default="", validate=validate.Length(0, 300))
    active = fields.Boolean(load_default=True)


class SearchSchema(Schema):
    """The operator's search box."""

    q = Text(load_default="", validate=validate.Length(0, 100))
