"""The SLA API: the supervisors' overdue list, as JSON or as CSV for Excel."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify, request

from hotline.api.parsing import query_args
from hotline.sla.overdue import CSV_LIMIT, overdue_page
from hotline.sla.parts_overdue import overdue_parts, paused_count
from hotline.sla.schemas import OverdueQuerySchema
from hotline.timeutil import utcnow
from hotline.users.tokens import current_actor

bp = Blueprint("sla_api", __name__, url_prefix="/api/v1")

CSV_COLUMNS = ("工单号", "类型", "紧急", "承办单位编码", "承办单位", "职能", "层级", "环节")
CSV_COLUMNS += ("期限", "超时秒数", "超时时长", "督办层级", "主办/协办")


def overdue_csv(items: list[dict]) -> Response:
    out = io.StringIO()
    # The BOM makes Excel read the Chinese as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for it in items:
        d = it["department"]
        writer.writerow(
            [
                it["number"], it["type"], "是" if it["urgent"] else "否", d["code"], d["name"],
                d["function"], d["level"], it["step"], it["due"], it["overdue_seconds"],
                it["overdue_human"], it["escalation_level"] or "",
                "协办" if it.get("role") == "assist" else "主办",
            ]
        )  # fmt: skip
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": "attachment; filename=overdue.csv",
        },
    )


@bp.get("/overdue")
def overdue():
    """List the overdue tickets in the caller's scope, most overdue first."""
    actor = current_actor()
    args = OverdueQuerySchema().load(query_args())
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    if best == "text/csv":
        # An export is the whole filtered list, not the page on screen.
        now = utcnow()
        items, _total = overdue_page(actor, args | {"page": 1, "per_page": CSV_LIMIT}, now)
        return overdue_csv(items + overdue_parts(actor, args, now, limit=CSV_LIMIT))
    now = utcnow()
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
