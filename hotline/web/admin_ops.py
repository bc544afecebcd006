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


def user_form_errors(messages: dict[str, Any], username: str) -> dict[str, str]:
    """Say each wrong field of the new-account form in the user's language."""
    from flask_babel import gettext as _

    def text(name: str) -> str:
        raw = " ".join(str(m) for m in messages.get(name) or [])
        if name == "username":
            if "already exists" in raw:
                return _("用户名 %(name)s 已被使用，请换一个。", name=username)
            return _("用户名为 2–64 位英文字母、数字或 _ . -。")
        if name == "password":
            return _("密码至少 %(n)s 位。", n=PASSWORD_MIN)
        if name == "department":
            if "needs" in raw:
                return _("承办人须选择承办单位。")
            return _("找不到该承办单位，请从搜索结果中选择。")
        if name == "org_unit":
            if "needs" in raw:
                return _("督办员须填写区域编码。")
            return _("找不到该区域编码。")
        if name == "role":
            return _("请选择角色。")
        return _("填写有误。")

    return {name: text(name) for name in messages}
