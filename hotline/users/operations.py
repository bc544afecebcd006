"""Create staff accounts and check their credentials."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from hotline.api.errors import field_error
from hotline.extensions import db
from hotline.org.models import Department, OrgUnit
from hotline.timeutil import utcnow
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
    return _failed(user, now)


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
    return None


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
    user.set_password(data["password"])
    db.session.commit()
    return user
