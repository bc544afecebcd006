"""The statistics API: the three rates for staff (scoped) and the public figures per district."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, jsonify

from hotline.api.errors import ApiError, field_error
from hotline.api.parsing import query_args
from hotline.extensions import db
from hotline.org.models import OrgUnit
from hotline.stats import operations as ops
from hotline.stats.schemas import PublicQuerySchema, RatesQuerySchema
from hotline.stats.window import Window, window
from hotline.tickets.context import settings
from hotline.timeutil import utcnow
from hotline.users.actors import Actor
from hotline.users.tokens import current_actor

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1/stats")


def resolve_unit(actor: Actor, code: str | None) -> OrgUnit:
    """Return the org unit to report on: ``code``, else the actor's own unit, else the city.

    A supervisor may not ask about a unit outside their own (403); an unknown code is 422.
    """
    own = actor.org_unit_code if actor.role == "supervisor" else None
    code = code or own or settings().city
    if own and not code.startswith(own):
        raise ApiError(403, "forbidden", "this org unit is outside your scope")
    unit = db.session.get(OrgUnit, code)
    if unit is None:
        raise field_error("org_unit", f"unknown org unit {code}")
    return unit


def window_of(args: dict[str, Any]) -> Window:
    """Return the window the parsed query asks for (default: the last 30 days)."""
    return window(settings().timezone, args.get("from_"), args.get("to"))


@bp.get("/rates")
def rates():
    """Return the three rates in the caller's scope, grouped by department, org unit or day."""
    actor = current_actor()
    args = RatesQuerySchema().load(query_args())
    unit = resolve_unit(actor, args["org_unit"])
    body = ops.rates(actor, unit.code, args["by"], window_of(args), utcnow())
    return jsonify({"org_unit": {"code": unit.code, "name": unit.name}, **body})


def public_figures(w: Window) -> dict[str, Any]:
    """Return the public figures of the window, from a per-process cache of HOTLINE_STATS_MAX_AGE.

    Anyone may ask, as often as they like: no request from outside reaches the database more
    than once per window and period, however many arrive.
    """
    ttl = settings().stats_max_age
    cache: dict[Any, tuple[float, dict[str, Any]]] = current_app.extensions.setdefault(
        "hotline_public_figures", {}
    )
    key = (w.first, w.last)
    hit = cache.get(key)
    if ttl and hit is not None and time.monotonic() - hit[0] < ttl:
        return hit[1]
    figures = _public_figures(w)
    if ttl:
        if len(cache) > 100:  # odd windows asked for once: keep the cache small
            cache.clear()
        cache[key] = (time.monotonic(), figures)
    return figures


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


@bp.get("/public")
def public():
    """Return the public figures per district (政务公开); no sign-in, no personal data."""
    args = PublicQuerySchema().load(query_args())
    return jsonify(public_figures(window_of(args)))
