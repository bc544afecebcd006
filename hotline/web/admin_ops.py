"""The admin pages' writes: staff accounts and departments (admins only; each commits)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from hotline.api.errors import ApiError, field_error, not_found
from hotline.api.fields import Phone, Text
from hotline.extensions import db
from hotline.org.models import Department
from hotline.users.actors import Actor
from hotline.users.models import ROLES, User
from hotline.users.operations import create_user
from hotline.users.schemas import PASSWORD_MIN

PASSWORD = fields.String(required=True, validate=validate.Length(PASSWORD_MIN, 200))


class UserCreateSchema(Schema):
    """The admin's new-account form."""

    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,64}$"))
    display_name = Text(load_default=None, validate=validate.Length(1, 64))
    password = PASSWORD
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    department = fields.String(load_default=None, validate=validate.Length(1, 40))
    org_unit = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4,12}$"))
    # Operators only: may rule on returns, transfers and replies (审核权限).
    reviewer = fields.Boolean(load_default=False)


class PasswordSchema(Schema):
    """The admin's password reset form."""

    password = PASSWORD


class DepartmentEditSchema(Schema):
    """A department's duty phone and whether it takes tickets."""

    duty_phone = Phone(load_default=None, allow_none=True)
    active = fields.Boolean(required=True)


def _require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise ApiError(403, "forbidden", "only admins manage accounts and departments")


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise not_found("user")
    return user


def add_user(data: dict[str, Any], actor: Actor) -> User:
    """Create a staff account (the core checks the role's department or org unit)."""
    _require_admin(actor)
    return create_user(data)


def set_user_active(user_id: int, active: bool, actor: Actor) -> User:
    """Activate or deactivate an account; an admin cannot lock themselves out."""
    _require_admin(actor)
    user = _user(user_id)
    if not active and user.id == actor.id:
        raise field_error("active", "you cannot deactivate your own account", status=409)
    user.active = active
    db.session.commit()
    return user


def reset_password(user_id: int, password: str, actor: Actor) -> User:
    """Set a new password (old API tokens stop working, see users.tokens)."""
    _require_admin(actor)
    user = _user(user_id)
    user.set_password(password)
    db.session.commit()
    return user


def update_department(code: str, data: dict[str, Any], actor: Actor) -> Department:
    """Change a department's duty phone and active flag."""
    _require_admin(actor)
    dept = db.session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise not_found("department")
    dept.duty_phone = data.get("duty_phone") or None
    dept.active = data["active"]
    db.session.commit()
    # This process re-reads the departments now; the others notice within seconds.
    router = current_app.extensions.get("hotline_router")
    if router is not None:
        router.reset()
    return dept
