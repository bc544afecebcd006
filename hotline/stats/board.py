"""What the supervisor board and the public page show: figures, charts and tables together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.core.actors import Actor
from hotline.org.models import OrgUnit
from hotline.stats import charts
from hotline.stats import operations as ops
from hotline.stats.window import Window

RANKED = 15


def rates_page(
    actor: Actor, unit: OrgUnit, w: Window, metric: str, now: datetime
) -> dict[str, Any]:
    """Return the totals, the daily trend, the ranking and the tables of one org unit."""
    as_of = ops.fresh_as_of()
    days = ops.by_day(actor, unit.code, w, now)
    departments = ops.by_department(actor, unit.code, w, now)
    units = ops.by_org_unit(actor, unit.code, w, now) if len(unit.code) < 12 else []
    departments = ops.ranking(departments, metric)  # rows without the rate go last
    ranked = [r for r in departments[:RANKED] if r[metric] is not None]
    series = {m: [d[m] for d in days] for m in ops.METRICS}
    return {
        "total": ops.totals(actor, unit.code, w, now),
        "trend": charts.trend([d["key"] for d in days], series, [d["received"] for d in days]),
        "ranking": charts.bars(ranked, metric),
        "departments": departments,
        "units": units,
        "as_of": as_of,
    }
