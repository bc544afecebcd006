"""Staff accounts: create, check credentials, and the admin's activate and password reset."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from hotline.core.actors import Actor
from hotline.core.errors import Conflict, FieldError, NotFound
from hotline.core.extensions import db
from hotline.core.permissions import needs_unit, require_admin
from hotline.core.timeutil import utcnow
from hotline.org.models import Department, OrgUnit
from hotline.users.models import User

log = logging.getLogger(__name__)


class AccountLocked(Exception):
    """Too many failed sign-ins: the account refuses every password for a while."""

    def __init__(self, until: datetime, now: datetime) -> None:
        super().__init__("account locked")
        self.seconds = max(1, int((until - now).total_seconds()))
        self.minutes = math.ceil(self.seconds / 60)


# Compared against when the username is unknown, so timing does not reveal which it was.
_DUMMY = User(username="-", password_hash="", role="operator")
_DUMMY.set_password("not-a-real-password")


def authenticate(username: str, password: str, now: datetime | None = None) -> User | None:
    """Return the active user with these credentials, or None; raise AccountLocked.

    Failed attempts are counted in the database (they hold while Redis is down); after
    HOTLINE_LOGIN_MAX_FAILURES in a row the account refuses every password, the right one
    too, for HOTLINE_LOGIN_LOCKOUT_MINUTES. An admin's password reset lifts the lock.
    """
    now = now or utcnow()
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _DUMMY.check_password(password)
        return None
    if user.locked_until is not None and user.locked_until > now:
        _DUMMY.check_password(password)
        raise AccountLocked(user.locked_until, now)
    if user.check_password(password):
        if user.failed_logins or user.locked_until:
            user.failed_logins, user.locked_until = 0, None
            db.session.commit()
        return user if user.active else None
    _failed(user, now)
    return None


def _failed(user: User, now: datetime) -> None:
    """Count one failed sign-in atomically; lock the account at the limit."""
    settings = current_app.config["HOTLINE"]
    failures = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    if settings.login_max_failures and failures >= settings.login_max_failures:
        until = now + timedelta(minutes=settings.login_lockout_minutes)
        db.session.execute(
            update(User).where(User.id == user.id).values(locked_until=until, failed_logins=0)
        )
        db.session.commit()
        log.warning("account %s locked after %d failed sign-ins", user.username, failures)
        raise AccountLocked(until, now)
    db.session.commit()


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
    user.reviewer = bool(data.get("reviewer")) and role == "operator"
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
    if user.active and not active:
        user.revoke_sessions()  # a deactivated account's sessions and tokens end now
    user.active = active
    db.session.commit()
    return user


def reset_password(user_id: int, password: str, actor: Actor) -> User:
    """Set a new password (every session and API token of the user ends, see User)."""
    _require_admin(actor)
    user = _user(user_id)
    user.set_password(password)
    db.session.commit()
    return user
