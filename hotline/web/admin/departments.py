"""Admin tab: departments (search; duty phone and whether they take tickets)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import and_, func, or_, select

from hotline.api.parsing import query_args
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.org import operations as org
from hotline.org.models import FUNCTIONS, Department
from hotline.org.schemas import DepartmentEditSchema
from hotline.org.views import word_matches
from hotline.web.admin import bp, form_data, page, refused
from hotline.web.admin.forms import department_form_errors
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
    return _list_page(query_args(), DepartmentQuerySchema().load(query_args()))


def _list_page(raw: dict[str, Any], args: dict[str, Any], **form: Any) -> str:
    """Render the list of ``args``; ``form`` holds a refused row's typed values and errors."""
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
    query = {k: v for k, v in raw.items() if k != "page"}
    state = {"form_code": None, "form": {}, "errors": {}, **form}
    return page("admin/departments.html", "departments", departments=rows, total=total,
                args=args, pages=(total + PER_PAGE - 1) // PER_PAGE, query=query,
                back=urlencode(raw), **state)  # fmt: skip


@bp.post("/departments/<code>")
@role_required("admin")
def update_department(code: str):
    """Save a department's duty phone and active flag; on a mistake, the list with it as typed."""
    data = form_data()
    data["active"] = "active" in data
    try:
        data = DepartmentEditSchema().load(
            {k: v for k, v in data.items() if k in ("duty_phone", "active")}
        )
        dept = org.update_department(code, data, current_actor())
    except (ValidationError, DomainError) as error:
        return _refused_page(code, error)
    flash(_("已保存 %(name)s。", name=dept.name), "success")
    target = url_for("web_admin.departments")
    return redirect(target + _back_query(request.form.get("back", "")), 303)


def _refused_page(code: str, error: ValidationError | DomainError) -> tuple[str, int]:
    """Render the list it was sent from, the row as typed and each wrong field said beside it."""
    fields_, status = refused(error)
    raw = dict(_back_pairs(request.form.get("back", "")))
    try:
        args = DepartmentQuerySchema().load(raw)
    except ValidationError:
        raw, args = {}, DepartmentQuerySchema().load({})
    typed = {"duty_phone": request.form.get("duty_phone", ""), "active": "active" in request.form}
    errors = department_form_errors(fields_)
    return _list_page(raw, args, form_code=code, form=typed, errors=errors), status


def _back_pairs(back: str) -> list[tuple[str, str]]:
    """Return the list's filters posted back by a row's form (the known ones only)."""
    keep = {"q", "org_unit", "function", "page"}
    return [(k, v) for k, v in parse_qsl(back[:500]) if k in keep]


def _back_query(back: str) -> str:
    """Return the list's filters to go back to, re-encoded (no header can be smuggled in)."""
    pairs = _back_pairs(back)
    return f"?{urlencode(pairs)}" if pairs else ""
