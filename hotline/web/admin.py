"""Admin pages: staff accounts and departments (knowledge, API keys and rules: admin_tools)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import and_, func, or_, select

from hotline.api.errors import ApiError
from hotline.api.parsing import query_args
from hotline.extensions import db
from hotline.org.models import FUNCTIONS, Department
from hotline.org.views import word_matches
from hotline.users.models import ROLES, User
from hotline.web import admin_ops, labels
from hotline.web.auth import ROLE_LABELS, current_actor, role_required

bp = Blueprint("web_admin", __name__, url_prefix="/admin")
PER_PAGE = 50


def form_data(*extra: str) -> dict[str, Any]:
    """Return the posted form without its CSRF token and empty fields (absent, not blank)."""
    data = {k: v for k, v in request.form.items() if k != "csrf_token" and v.strip() != ""}
    for name in extra:
        data.setdefault(name, request.form.get(name, ""))
    return data


def page(template: str, tab: str, **context: Any) -> str:
    """Render an admin page with its tabs."""
    return render_template(template, tab=tab, wide=True, labels=labels, **context)


@bp.get("")
@role_required("admin")
def users():
    """List the staff accounts and the form to add one."""
    return _users_page()


def _users_page(form: Any = None, errors: dict[str, str] | None = None) -> str:
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return page("admin/users.html", "users", users=rows, roles=ROLES, role_labels=ROLE_LABELS,
                form=form or {}, errors=errors or {})  # fmt: skip


@bp.post("/users")
@role_required("admin")
def create_user():
    """Create an account, then go back to the list; on a mistake, the form again as typed."""
    try:
        data = admin_ops.UserCreateSchema().load(form_data())
        user = admin_ops.add_user(data, current_actor())
    except (ValidationError, ApiError) as error:
        db.session.rollback()
        fields_ = error.messages if isinstance(error, ValidationError) else error.fields or {}
        errors = admin_ops.user_form_errors(fields_, request.form.get("username", ""))
        flash(_("请检查标红的内容。"), "error")
        status = error.status if isinstance(error, ApiError) else 400
        return _users_page(request.form, errors), status
    flash(_("已创建账号 %(name)s。", name=user.username), "success")
    return redirect("/admin", 303)


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id: int):
    """Deactivate or reactivate an account."""
    active = request.form.get("active") == "true"
    user = admin_ops.set_user_active(user_id, active, current_actor())
    message = _("已启用账号 %(name)s。") if active else _("已停用账号 %(name)s。")
    flash(message % {"name": user.username}, "success")
    return redirect("/admin", 303)


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int):
    """Set a new password for an account."""
    data = admin_ops.PasswordSchema().load(form_data())
    user = admin_ops.reset_password(user_id, data["password"], current_actor())
    flash(_("已重置 %(name)s 的密码。", name=user.username), "success")
    return redirect("/admin", 303)


class DepartmentQuerySchema(Schema):
    """Filters of the department list."""

    q = fields.String(validate=validate.Length(1, 60))
    org_unit = fields.String(validate=validate.Regexp(r"^\d{4,12}$"))
    function = fields.String(validate=validate.OneOf(FUNCTIONS))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10000))


@bp.get("/departments")
@role_required("admin")
def departments():
    """Search the departments; edit their duty phone and whether they take tickets."""
    args = DepartmentQuerySchema().load(query_args())
    stmt = select(Department)
    if "q" in args:
        # The operators' search: every word must match, abbreviations (城管, 执法) included.
        words = and_(*(word_matches(word) for word in args["q"].split()))
        stmt = stmt.where(or_(words, Department.code.contains(args["q"], autoescape=True)))
    if "org_unit" in args:
        stmt = stmt.where(Department.org_unit_code.startswith(args["org_unit"], autoescape=True))
    if "function" in args:
        stmt = stmt.where(Department.function == args["function"])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Department.code).limit(PER_PAGE).offset((args["page"] - 1) * PER_PAGE)
    ).all()
    query = {k: v for k, v in query_args().items() if k != "page"}
    return page("admin/departments.html", "departments", departments=rows, total=total,
                args=args, pages=(total + PER_PAGE - 1) // PER_PAGE, query=query)  # fmt: skip


@bp.post("/departments/<code>")
@role_required("admin")
def update_department(code: str):
    """Save a department's duty phone and active flag."""
    data = form_data()
    data["active"] = "active" in data
    data = admin_ops.DepartmentEditSchema().load(
        {k: v for k, v in data.items() if k in ("duty_phone", "active")}
    )
    dept = admin_ops.update_department(code, data, current_actor())
    flash(_("已保存 %(name)s。", name=dept.name), "success")
    back = request.form.get("back", "")
    return redirect("/admin/departments" + (f"?{back}" if back and "\n" not in back else ""), 303)


from hotline.web import admin_tools  # noqa: E402,F401 - registers the remaining admin pages
