"""The SLA API: the supervisors' overdue list, as JSON or as CSV for Excel."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from hotline.api.parsing import query_args
from hotline.core.timeutil import utcnow
from hotline.sla.export import overdue_export
from hotline.sla.pages import overdue_page
from hotline.sla.parts_overdue import overdue_parts, paused_count
from hotline.sla.schemas import OverdueQuerySchema
from hotline.users.tokens import current_actor

bp = Blueprint("sla_api", __name__, url_prefix="/api/v1")


@bp.get("/overdue")
def overdue():
    """List the overdue tickets in the caller's scope, most overdue first."""
    actor = current_actor()
    args = OverdueQuerySchema().load(query_args())
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    now = utcnow()
    if best == "text/csv":
        # An export is the whole filtered list, not the page on screen, streamed.
        return overdue_export(actor, args, now)
    items, total = overdue_page(actor, args, now)
    return jsonify(
        {
            "items": items,
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
            # Assisting departments' parts past their own deadlines (协办超期).
            "parts": overdue_parts(actor, args, now),
            # Paused clocks are not overdue: how many stand still now (挂起).
            "paused": paused_count(actor, args),
        }
    )
