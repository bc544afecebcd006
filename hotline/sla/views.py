"""The SLA API: the supervisors' overdue list, as JSON or as CSV for Excel."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from hotline.api.parsing import query_args
from hotline.sla.overdue import CSV_LIMIT, overdue_page
from hotline.sla.schemas import OverdueQuerySchema
from hotline.timeutil import utcnow
from hotline.users.tokens import current_actor

bp = Blueprint("sla_api", __name__, url_prefix="/api/v1")


def _csv_columns() -> list[str]:
    return [
        _("工单号"), _("类型"), _("紧急"), _("反映事项"), _("地址"), _("承办单位编码"),
        _("承办单位"), _("职能"), _("层级"), _("环节"), _("期限"), _("超时秒数"),
        _("超时时长"), _("督办层级"),
    ]  # fmt: skip


def overdue_csv(items: list[dict]) -> Response:
    """Write the overdue list as CSV, every code as a word in the user's language."""
    from hotline.web import labels  # the words for codes (one label module for every screen)

    def word(table: dict, code: str | None) -> str:
        return str(table.get(code, code)) if code else ""

    out = io.StringIO()
    # The BOM makes Excel read the Chinese as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(_csv_columns())
    for it in items:
        d = it["department"]
        writer.writerow(
            [
                it["number"], word(labels.TYPE, it["type"]), _("是") if it["urgent"] else _("否"),
                it.get("description") or "", it.get("address") or "", d["code"], d["name"],
                word(labels.FUNCTION, d["function"]), word(labels.LEVEL_LABELS, d["level"]),
                word(labels.STEP_LABELS, it["step"]), it["due"], it["overdue_seconds"],
                labels.duration(it["overdue_seconds"]),
                word(labels.LEVEL_LABELS, it["escalation_level"]),
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
        items, _total = overdue_page(actor, args | {"page": 1, "per_page": CSV_LIMIT}, utcnow())
        return overdue_csv(items)
    items, total = overdue_page(actor, args, utcnow())
    return jsonify(
        {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}
    )
