"""Read-only API over the four-level network and its departments."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import ColumnElement, or_, select

from hotline.core.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.org.schemas import (
    DepartmentQuerySchema,
    DepartmentSchema,
    OrgUnitQuerySchema,
    OrgUnitSchema,
)

bp = Blueprint("org_api", __name__, url_prefix="/api/v1")

# Words people type for a department's function: (function code, name parts it stands for).
ABBREVIATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "城管": ("urban_management", ("城市管理", "综合行政执法")),
    "住建": ("housing", ("住房和城乡建设",)),
    "环保": ("environment", ("生态环境",)),
    "市监": ("market_regulation", ("市场监督管理", "市场监管")),
    "人社": ("human_resources", ("人力资源和社会保障",)),
    "交管": ("traffic_police", ("交通管理",)),
    "卫健": ("health", ("卫生健康",)),
    "自规": ("natural_resources", ("规划和自然资源",)),
    "应急": ("emergency_management", ("应急管理",)),
    "民政": ("civil_affairs", ("民政",)),
    "教育": ("education", ("教育",)),
    "水务": ("water", ("水务",)),
    "农业": ("agriculture", ("农业农村",)),
}


def word_matches(word: str) -> ColumnElement[bool]:
    """Match one search word: in the name, or an abbreviation of the department's function."""
    clauses = [Department.name.contains(word, autoescape=True)]
    if word in ABBREVIATIONS:
        function, parts = ABBREVIATIONS[word]
        clauses.append(Department.function == function)
        clauses += [Department.name.contains(part, autoescape=True) for part in parts]
    return or_(*clauses)


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
    """List departments of an org unit and/or a function, or those matching every word of q."""
    args = DepartmentQuerySchema().load(request.args.to_dict())
    stmt = select(Department).where(Department.active.is_(True)).order_by(Department.code)
    if "org_unit" in args:
        stmt = stmt.where(Department.org_unit_code == args["org_unit"])
    if "function" in args:
        stmt = stmt.where(Department.function == args["function"])
    if "level" in args:
        stmt = stmt.where(Department.level == args["level"])
    if "q" in args:
        # Every space-separated word must match: "武侯 住建" is Wuhou's housing bureau.
        stmt = stmt.where(*(word_matches(word) for word in args["q"].split()))
    departments = db.session.scalars(stmt.limit(5000)).all()
    return jsonify({"items": DepartmentSchema(many=True).dump(departments)})
