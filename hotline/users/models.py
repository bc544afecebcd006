"""Staff accounts: operators, department agents, supervisors and admins."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import Department, OrgUnit


class User(db.Model):
    """A member of staff who signs in; residents never have accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str | None] = mapped_column(
        ForeignKey("departments.code"), default=None, index=True
    )
    org_unit_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), default=None)
    display_name: Mapped[str | None] = mapped_column(String(64), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")
    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``."""
        # Tests lower the work factor through app config; production keeps the default (scrypt).
        method = (
            current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
            if has_app_context()
            else "scrypt"
        )
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def label(self) -> str:
        """Return the name shown on timelines."""
        return self.display_name or self.username
