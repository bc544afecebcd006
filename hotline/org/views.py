"""Read-only API over the four-level network and its departments."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from hotline.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.org.schemas import (
    DepartmentQuerySchema,
    DepartmentSchema,
    OrgUnitQuerySchema,
    OrgUnitSchema,
)

bp = Blueprint("org_api", __name__, url_prefix="/api/v1")


@bp.get("/org-units")
def list_org_units():
    """List org units by level and parent (public: residents pick their community)."""
    args = OrgUnitQuerySchema().load(request.args.to_dict())
    stmt = select(OrgUnit).order_by(OrgUnit.code)
    if "level" in args:
        stmt = stmt.where(OrgUnit.level == args["level"])
    if "parent" in args:
        stmt = stmt.where(OrgUnit.parent_code == args["parent"])
    if "q" in args:
        stmt = stmt.where(OrgUnit.name.contains(args["q"], autoescape=True))
    units = db.session.scalars(stmt.limit(5000)).all()
    return jsonify({"items": OrgUnitSchema(many=True).dump(units)})


@bp.get("/departments")
def list_departments():
    """List departments of an org unit and/or a function."""
    args = DepartmentQuerySchema().load(request.args.to_dict())
    stmt = select(Department).where(Department.active.is_(True)).order_by(Department.code)
    if "org_unit" in args:
        stmt = stmt.where(Department.org_unit_code == args["org_unit"])
    if "function" in args:
        stmt = stmt.where(Department.function == args["function"])
    if "level" in args:
        stmt = stmt.where(Department.level == args["level"])
    if "q" in args:
        stmt = stmt.where(Department.name.contains(args["q"], autoescape=True))
    departments = db.session.scalars(stmt.limit(5000)).all()
    return jsonify({"items": DepartmentSchema(many=True).dump(departments)})
