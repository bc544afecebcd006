"""Marshmallow schemas for ticket input and output."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Phone, Text
from hotline.core.vocabulary import CALL_OUTCOMES, PAUSE_REASONS, REPLY_CHECKLIST
from hotline.tickets.models import CHANNELS, RATINGS, STATUSES, TYPES
from hotline.tickets.states import ACTIONS


def _text(lo: int, hi: int, **kw) -> Text:  # noqa: ANN003
    return Text(validate=validate.Length(lo, hi), **kw)


class TicketCreateSchema(Schema):
    """What a resident sends to open a ticket."""

    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    description = _text(1, 4000, required=True)
    phone = Phone(required=True)
    name = _text(1, 50, load_default=None, allow_none=True)
    address = _text(0, 200, load_default=None, allow_none=True)
    community_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$"),
    )
    urgent = fields.Boolean(load_default=False)
    # The resident asks that departments never learn who they are (保密).
    confidential = fields.Boolean(load_default=False)


class TicketCreatedSchema(Schema):
    """The resident's receipt."""

    number = fields.String()
    status = fields.String()
    type = fields.String()
    created_at = fields.String()
    emergency = fields.Boolean()
    notice = fields.String(allow_none=True)


class TicketQuerySchema(Schema):
    """Filters of the staff ticket list."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    type = fields.String(validate=validate.OneOf(TYPES))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    department = fields.String(validate=validate.Length(1, 40))
    org_unit = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    q = fields.String(validate=validate.Length(1, 100))
    urgent = fields.Boolean()
    # Search filters (hotline.search.filters): function, dates, overdue, 临期.
    function = fields.String(validate=validate.Length(1, 40))
    created_from = fields.Date()
    created_to = fields.Date()
    overdue = fields.Boolean()
    due_soon = fields.Boolean()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    # The ``next`` of the previous page: keyset paging, as fast at any depth as page 1.
    after = fields.String(validate=validate.Regexp(r"^\d{1,20}\.\d{1,12}$"))


class TrackQuerySchema(Schema):
    """The resident's proof of ownership when tracking."""

    phone = Phone(required=True)


_version = {
    "version": fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1))
}
_dept = fields.String(required=True, validate=validate.Length(1, 40))
_reason = _text(1, 1000, required=True)

ACTION_FIELDS: dict[str, dict[str, fields.Field]] = {
    # Without a department, dispatch accepts the router's proposal.
    "dispatch": {
        "department": fields.String(load_default=None, validate=validate.Length(1, 40)),
        # Assisting departments (协办), each with its own part and clock.
        "assisting": fields.List(
            fields.String(validate=validate.Length(1, 40)),
            load_default=None,
            validate=validate.Length(max=10),
        ),
        "reason": _text(1, 1000, load_default=None),
    },
    "sign": {},
    # From an agent these are requests; ``basis``: the rule or 清单 item it cites.
    "return": {"reason": _reason, "basis": _text(1, 500, load_default=None)},
    "transfer": {"department": _dept, "reason": _reason, "basis": _text(1, 500, load_default=None)},
    "review_request": {
        "approve": fields.Boolean(required=True),
        "reason": _text(1, 1000, load_default=None),
    },
    "note": {"text": _text(1, 4000, required=True)},
    "request_extension": {
        "days": fields.Integer(required=True, validate=validate.Range(1, 30)),
        "reason": _reason,
    },
    "decide_extension": {
        "approve": fields.Boolean(required=True),
        "reason": _text(1, 1000, load_default=None),
    },
    "resolve": {
        "reply": _text(1, 4000, required=True),
        # Why the lead resolves while assisting parts are still out.
        "parts_reason": _text(1, 1000, load_default=None),
    },
    "review_reply": {
        "approve": fields.Boolean(required=True),
        "reason": _text(1, 1000, load_default=None),
        # The four elements the reviewer ticked: a reply to the question, basis, result, contact.
        "checklist": fields.Dict(
            keys=fields.String(validate=validate.OneOf(REPLY_CHECKLIST)),
            values=fields.Boolean(),
            load_default=None,
        ),
    },
    "request_pause": {
        "reason": fields.String(required=True, validate=validate.OneOf(PAUSE_REASONS)),
        "until": fields.Date(required=True),
        "note": _text(1, 1000, load_default=None),
    },
    "decide_pause": {
        "approve": fields.Boolean(required=True),
        "reason": _text(1, 1000, load_default=None),
    },
    "contribute": {"text": _text(1, 4000, required=True)},
    "hide_text": {"text": _text(1, 200, required=True)},
    "answer": {"reply": _text(1, 4000, required=True)},
    "rate": {
        "rating": fields.String(required=True, validate=validate.OneOf(RATINGS)),
        "comment": _text(1, 1000, load_default=None),
    },
    "reopen": {"reason": _reason},
    "requeue": {"reason": _reason},
    "followup_call": {
        "outcome": fields.String(required=True, validate=validate.OneOf(CALL_OUTCOMES)),
        "note": _text(1, 1000, load_default=None),
    },
    "close": {},
    "merge": {"into": fields.String(required=True, validate=validate.Regexp(r"^\d{8}-\d{6}$"))},
    "urge": {"text": _text(1, 1000, load_default=None)},
    "supervise": {"text": _text(1, 1000, load_default=None)},
    "mark_urgent": {
        "urgent": fields.Boolean(load_default=True),
        "reason": _text(1, 1000, load_default=None),
    },
    # Each field is optional; at least one must change. An empty address clears it.
    "edit": {
        "description": _text(1, 4000, load_default=None),
        "address": _text(0, 200, load_default=None),
        "community_code": fields.String(
            load_default=None, validate=validate.Regexp(r"^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$")
        ),
        "reason": _reason,
    },
    "recall": {"reason": _reason},
    "exclude_rating": {"reason": _reason},
    "restore_rating": {"reason": _reason},
}
assert set(ACTION_FIELDS) == set(ACTIONS)

ACTION_SCHEMAS: dict[str, type[Schema]] = {
    name: Schema.from_dict(
        {"action": fields.String(required=True), **_version, **spec},
        name=f"{''.join(p.title() for p in name.split('_'))}ActionSchema",
    )
    for name, spec in ACTION_FIELDS.items()
}


class ActionEnvelopeSchema(Schema):
    """Picks the action; the action's own schema then validates the rest."""

    class Meta:
        unknown = "include"

    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))


class ResidentRateSchema(Schema):
    """A resident rating the result from the tracking page."""

    phone = Phone(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    comment = _text(1, 1000, load_default=None)
    reopen = fields.Boolean(load_default=False)
