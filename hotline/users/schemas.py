"""Schemas of staff sign-in, account creation (CLI and admin page) and password resets."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hotline.api.fields import Text
from hotline.core.permissions import ROLES

# One rule for every way an account is made (CLI, admin page).
PASSWORD_MIN = 8


class TokenRequestSchema(Schema):
    """Credentials for POST /api/v1/auth/token."""

    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 200))


class UserCreateSchema(Schema):
    """A new staff account."""

    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,64}$"))
    password = fields.String(required=True, validate=validate.Length(PASSWORD_MIN, 200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    department = fields.String(load_default=None, allow_none=True)
    org_unit = fields.String(load_default=None, allow_none=True)
    display_name = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(1, 64)
    )


class AccountFormSchema(Schema):
    """The admin page's new-account form."""

    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,64}$"))
    display_name = Text(load_default=None, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(PASSWORD_MIN, 200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    department = fields.String(load_default=None, validate=validate.Length(1, 40))
    org_unit = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4,12}$"))


class PasswordSchema(Schema):
    """The admin's password reset form."""

    password = fields.String(required=True, validate=validate.Length(PASSWORD_MIN, 200))
