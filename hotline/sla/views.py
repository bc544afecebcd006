"""The SLA API: the supervisors' overdue list, as JSON or as CSV for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Blueprint, Response, jsonify, request, stream_with_context

from hotline.api.parsing import query_args
from hotline.sla.overdue import overdue_page, overdue_stream
from hotline.sla.schemas import OverdueQuerySchema
from hotline.timeutil import utcnow
from hotline.users.tokens import current_actor

bp = Blueprint("sla_api", __name__, url_prefix="/api/v1")

CSV_COLUMNS = ("工单号", "类型", "紧急", "承办单位编码", "承办单位", "职能", "层级", "环节")
CSV_COLUMNS += ("期限", "超时秒数", "超时时长", "督办层级")


def _csv_lines(items: Iterable[dict]) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out)
    # The BOM makes Excel read the Chinese as UTF-8.
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for i, it in enumerate(items):
        d = it["department"]
        writer.writerow(
            [
                it["number"], it["type"], "是" if it["urgent"] else "否", d["code"], d["name"],
                d["function"], d["level"], it["step"], it["due"], it["overdue_seconds"],
                it["overdue_human"], it["escalation_level"] or "",
            ]
        )  # fmt: skip
        if i % 500 == 499:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def overdue_csv(items: Iterable[dict]) -> Response:
    """Stream the overdue rows as CSV: constant memory whatever the length of the list."""
    return Response(
        stream_with_context(_csv_lines(items)),
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
        return overdue_csv(overdue_stream(actor, args, utcnow()))
    items, total = overdue_page(actor, args, utcnow())
    return jsonify(
        {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}
    )
