"""Create staff accounts and check their credentials."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.api.errors import field_error
from hotline.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.users.models import User

# Compared against when the username is unknown, so timing does not reveal which it was.
_DUMMY = User(username="-", password_hash="", role="operator")
_DUMMY.set_password("not-a-real-password")


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _DUMMY.check_password(password)
        return None
    return user if user.active and user.check_password(password) else None


def create_user(data: dict[str, Any], update: bool = False) -> User:
    """Create (or with ``update``, reset) a staff account after checking its scope."""
    role = data["role"]
    department = data.get("department")
    org_unit = data.get("org_unit")
    if role == "agent" and not department:
        raise field_error("department", "an agent needs a department")
    if department and db.session.get(Department, department) is None:
        raise field_error("department", f"unknown department {department}")
    if role == "supervisor" and not org_unit:
        raise field_error("org_unit", "a supervisor needs an org unit")
    if org_unit and db.session.get(OrgUnit, org_unit) is None:
        raise field_error("org_unit", f"unknown org unit {org_unit}")
    user = db.session.scalar(select(User).where(User.username == data["username"]))
    if user is not None and not update:
        raise field_error("username", f"user {data['username']} already exists", status=409)
    if user is None:
        user = User(username=data["username"], role=role)
        db.session.add(user)
    user.role = role
    user.department_code = department
    user.org_unit_code = org_unit
    user.display_name = data.get("display_name")
    user.reviewer = bool(data.get("reviewer")) and role == "operator"
    user.set_password(data["password"])
    db.session.commit()
    return user
