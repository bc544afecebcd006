"""Admin tab: departments (search; duty phone and whether they take tickets)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import func, or_, select

from hotline.api.parsing import query_args
from hotline.core.extensions import db
from hotline.org import operations as org
from hotline.org.models import FUNCTIONS, Department
from hotline.org.schemas import DepartmentEditSchema
from hotline.web.admin import bp, form_data, page
from hotline.web.auth import current_actor, role_required

PER_PAGE = 50


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
        like = f"%{args['q']}%"
        stmt = stmt.where(or_(Department.name.like(like), Department.code.like(like)))
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
    data = DepartmentEditSchema().load(
        {k: v for k, v in data.items() if k in ("duty_phone", "active")}
    )
    dept = org.update_department(code, data, current_actor())
    flash(_("已保存 %(name)s。", name=dept.name), "success")
    back = request.form.get("back", "")
    target = url_for("web_admin.departments")
    return redirect(target + (f"?{back}" if back and "\n" not in back else ""), 303)
