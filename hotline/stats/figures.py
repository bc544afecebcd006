"""What the consoles ask the statistics for: the unit and window asked about, public figures."""

from __future__ import annotations

from typing import Any

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import FieldError, Forbidden
from hotline.core.extensions import db
from hotline.core.permissions import ticket_scope
from hotline.core.timeutil import utcnow
from hotline.org.models import OrgUnit
from hotline.stats import operations as ops
from hotline.stats.kept import kept
from hotline.stats.window import Window, window


def resolve_unit(actor: Actor, code: str | None) -> OrgUnit:
    """Return the org unit to report on: ``code``, else the actor's own unit, else the city.

    A supervisor may not ask about a unit outside their own (403); an unknown code is 422.
    """
    kind, own = ticket_scope(actor)
    own = own if kind == "org_unit" else None
    code = code or own or settings().city
    if own and not code.startswith(own):
        raise Forbidden("this org unit is outside your scope")
    unit = db.session.get(OrgUnit, code)
    if unit is None:
        raise FieldError("org_unit", f"unknown org unit {code}")
    return unit


def window_of(args: dict[str, Any]) -> Window:
    """Return the window the parsed query asks for (default: the last 30 days)."""
    return window(settings().timezone, args.get("from_"), args.get("to"))


def public_figures(w: Window) -> dict[str, Any]:
    """Return the public figures of the window, from a per-process cache of HOTLINE_STATS_MAX_AGE.

    Anyone may ask, as often as they like: no request from outside reaches the database more
    than once per window and period, however many arrive.
    """
    return kept("public", (w.first, w.last), lambda: _public_figures(w))


def _public_figures(w: Window) -> dict[str, Any]:
    """Return the aggregate figures per district of the city: counts and rates only."""
    as_of = ops.fresh_as_of()
    city = db.session.get(OrgUnit, settings().city)
    system = Actor(None, "public", "system")
    now = utcnow()
    rows = {r["key"]: r for r in ops.by_org_unit(system, settings().city, w, now)}
    items = []
    districts = ops.children(settings().city)
    for district in districts:
        row = rows.get(district.code) or ops.figures({})
        items.append({"code": district.code, "name": district.name, **_public(row)})
    # Tickets placed no deeper than the city (or under no known district): their own row, so
    # that the districts and this row add up to the city total.
    known = {d.code for d in districts}
    rest = [r for key, r in rows.items() if key not in known]
    counts = {k: sum(r[k] for r in rest) for k in ops.COUNTS}
    unlocated = _public(ops.figures(counts, sum(r["overdue"] for r in rest)))
    total = _public(ops.totals(system, settings().city, w, now))
    return {"city": {"code": settings().city, "name": city.name if city else ""}, **w.as_dict(),
            "total": total, "items": items, "unlocated": unlocated,
            "as_of": as_of.isoformat() + "Z" if as_of else None}  # fmt: skip


def _public(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("received", "dispatched", "rated", *ops.METRICS, "overdue")
    return {k: row[k] for k in keep}
