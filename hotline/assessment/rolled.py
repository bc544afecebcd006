"""Read a month's assessment counts and deductions from the aggregates (hotline.stats).

A month of a level is one monthly table's rows for that month (departments, or streets of
the place) and about thirty days of deduction rows: milliseconds at 5 M tickets
as at 1 M, where counting the tickets themselves took seconds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.stats.models import (
    DEDUCTED,
    StatsDeduction,
    StatsDeptMonthly,
    StatsStreetMonthly,
)

# The assessment's counts and the aggregate columns they are (tickets: received).
COLUMNS = {"tickets": "received", "dispatched": "dispatched", "signed_in_time": "signed_in_time",
           "resolved": "resolved", "resolved_in_time": "resolved_in_time", "rated": "rated",
           "satisfied": "satisfied", "solved": "solved", "excluded": "excluded"}  # fmt: skip


def _level(level: str) -> tuple[Any, Any, Any]:
    """Return the monthly table of ``level``, its unit column and the condition a row counts."""
    if level == "department":
        unit = StatsDeptMonthly.department_code
        return StatsDeptMonthly, unit, unit != ""
    # Districts too from the streets' table (the street of the place, or the place when no
    # deeper): a few hundred rows a month, where the district table has thousands.
    street = StatsStreetMonthly.street_code
    length = 6 if level == "district" else 9
    return StatsStreetMonthly, func.substr(street, 1, length), func.length(street) >= length


def counts(level: str, month: str) -> dict[str, dict[str, int]]:
    """Sum, per unit of ``level``, the counts of the tickets created in ``month`` (YYYY-MM)."""
    table, unit, counted = _level(level)
    sums = [func.sum(getattr(table, column)).label(name) for name, column in COLUMNS.items()]
    stmt = select(unit.label("key"), *sums).where(table.month == month, counted).group_by(unit)
    return {row.key: row._asdict() for row in db.session.execute(stmt)}


def deductions(level: str, month: str) -> dict[str, dict[str, int]]:
    """Sum, per unit of ``level``, the deductions of the days of ``month`` (YYYY-MM)."""
    street = StatsDeduction.street_code
    unit: Any
    if level == "department":
        unit, counted = StatsDeduction.department_code, StatsDeduction.department_code != ""
    else:
        length = 6 if level == "district" else 9
        unit, counted = func.substr(street, 1, length), func.length(street) >= length
    sums = [func.sum(getattr(StatsDeduction, d)).label(d) for d in DEDUCTED]
    days = StatsDeduction.day >= f"{month}-01", StatsDeduction.day <= f"{month}-31"
    stmt = select(unit.label("key"), *sums).where(*days, counted).group_by(unit)
    return {
        row.key: {d: int(row._mapping[d]) for d in DEDUCTED} for row in db.session.execute(stmt)
    }
