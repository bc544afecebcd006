"""Admin tab: staff accounts (create, deactivate, reset a password)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from hotline.core.extensions import db
from hotline.core.permissions import ROLES
from hotline.users import operations as accounts
from hotline.users.models import User
from hotline.users.schemas import AccountFormSchema, PasswordSchema
from hotline.web.admin import bp, form_data, page
from hotline.web.auth import ROLE_LABELS, current_actor, role_required


@bp.get("")
@role_required("admin")
def users():
    """List the staff accounts and the form to add one."""
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return page("admin/users.html", "users", users=rows, roles=ROLES, role_labels=ROLE_LABELS)


@bp.post("/users")
@role_required("admin")
def create_user():
    """Create an account, then go back to the list."""
    data = AccountFormSchema().load(form_data())
    user = accounts.add_user(data, current_actor())
    flash(_("已创建账号 %(name)s。", name=user.username), "success")
    return redirect(url_for("web_admin.users"), 303)


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id: int):
    """Deactivate or reactivate an account."""
    active = request.form.get("active") == "true"
    user = accounts.set_user_active(user_id, active, current_actor())
    message = _("已启用账号 %(name)s。") if active else _("已停用账号 %(name)s。")
    flash(message % {"name": user.username}, "success")
    return redirect(url_for("web_admin.users"), 303)


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int):
    """Set a new password for an account."""
    data = PasswordSchema().load(form_data())
    user = accounts.reset_password(user_id, data["password"], current_actor())
    flash(_("已重置 %(name)s 的密码。", name=user.username), "success")
    return redirect(url_for("web_admin.users"), 303)
