"""The statistics API: the three rates for staff (scoped) and the public figures per district."""

from __future__ import annotations

from flask import Blueprint, jsonify

from hotline.api.parsing import query_args
from hotline.core.timeutil import utcnow
from hotline.stats import operations as ops
from hotline.stats.figures import public_figures, resolve_unit, window_of
from hotline.stats.schemas import PublicQuerySchema, RatesQuerySchema
from hotline.users.tokens import current_actor

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1/stats")


@bp.get("/rates")
def rates():
    """Return the three rates in the caller's scope, grouped by department, org unit or day."""
    actor = current_actor()
    args = RatesQuerySchema().load(query_args())
    unit = resolve_unit(actor, args["org_unit"])
    body = ops.rates(actor, unit.code, args["by"], window_of(args), utcnow())
    return jsonify({"org_unit": {"code": unit.code, "name": unit.name}, **body})


@bp.get("/public")
def public():
    """Return the public figures per district (政务公开); no sign-in, no personal data."""
    args = PublicQuerySchema().load(query_args())
    return jsonify(public_figures(window_of(args)))
