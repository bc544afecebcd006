"""The SLA API: the supervisors' overdue list, as JSON or as CSV for Excel."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from hotline.api.parsing import query_args
from hotline.core.timeutil import utcnow
from hotline.sla.export import overdue_csv
from hotline.sla.overdue import overdue_page, overdue_stream
from hotline.sla.schemas import OverdueQuerySchema
from hotline.users.tokens import current_actor

bp = Blueprint("sla_api", __name__, url_prefix="/api/v1")


@bp.get("/overdue")
def overdue():
    """List the overdue tickets in the caller's scope, most overdue first."""
    actor = current_actor()
    args = OverdueQuerySchema().load(query_args())
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    if best == "text/csv":
        # An export is the whole filtered list, not the page on screen, streamed.
        return overdue_csv(overdue_stream(actor, args, utcnow()))
    items, total = overdue_page(actor, args, utcnow())
    return jsonify(
        {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}
    )
