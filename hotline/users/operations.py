"""Staff accounts: create, check credentials, and the admin's activate and password reset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.errors import Conflict, FieldError, NotFound
from hotline.core.extensions import db
from hotline.core.permissions import needs_unit, require_admin
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
    needs = needs_unit(role)
    if needs == "department" and not department:
        raise FieldError("department", "an agent needs a department")
    if department and db.session.get(Department, department) is None:
        raise FieldError("department", f"unknown department {department}")
    if needs == "org_unit" and not org_unit:
        raise FieldError("org_unit", "a supervisor needs an org unit")
    if org_unit and db.session.get(OrgUnit, org_unit) is None:
        raise FieldError("org_unit", f"unknown org unit {org_unit}")
    user = db.session.scalar(select(User).where(User.username == data["username"]))
    if user is not None and not update:
        raise Conflict("username", f"user {data['username']} already exists")
    if user is None:
        user = User(username=data["username"], role=role)
        db.session.add(user)
    user.role = role
    user.department_code = department
    user.org_unit_code = org_unit
    user.display_name = data.get("display_name")
    user.set_password(data["password"])
    db.session.commit()
    return user


def _require_admin(actor: Actor) -> None:
    require_admin(actor, "only admins manage accounts and departments")


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def add_user(data: dict[str, Any], actor: Actor) -> User:
    """Create a staff account as an admin (create_user checks the role's department or unit)."""
    _require_admin(actor)
    return create_user(data)


def set_user_active(user_id: int, active: bool, actor: Actor) -> User:
    """Activate or deactivate an account; an admin cannot lock themselves out."""
    _require_admin(actor)
    user = _user(user_id)
    if not active and user.id == actor.id:
        raise Conflict("active", "you cannot deactivate your own account")
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
