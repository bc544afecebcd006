"""Org units of the four-level network and the departments that belong to them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.extensions import db
from hotline.core.vocabulary import FUNCTIONS, LEVELS

__all__ = ["FUNCTIONS", "LEVELS", "Department", "OrgUnit"]


class OrgUnit(db.Model):
    """A city, district, township or community, keyed by its statistical division code.

    Codes nest (5101 → 510107 → 510107001 → 510107001001), so "this unit and everything
    below it" is a prefix match on the code.
    """

    __tablename__ = "org_units"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(12), index=True)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("org_units.code"), index=True, default=None
    )

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[code], lazy="joined")

    def chain(self) -> list[OrgUnit]:
        """Return this unit and its ancestors, deepest first."""
        units: list[OrgUnit] = []
        unit: OrgUnit | None = self
        while unit is not None:
            units.append(unit)
            unit = unit.parent
        return units


class Department(db.Model):
    """A department of one org unit with one function code."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    function: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[str] = mapped_column(String(12))
    org_unit_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    duty_phone: Mapped[str | None] = mapped_column(String(20), default=None)
    active: Mapped[bool] = mapped_column(default=True)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
