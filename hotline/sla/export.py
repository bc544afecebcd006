"""The overdue list as CSV for Excel (the API and the supervisor console share it)."""

from __future__ import annotations

import csv
import io

from flask import Response

CSV_COLUMNS: tuple[str, ...] = (
    "工单号",
    "类型",
    "紧急",
    "承办单位编码",
    "承办单位",
    "职能",
    "层级",
    "环节",
)
CSV_COLUMNS += ("期限", "超时秒数", "超时时长", "督办层级", "主办/协办")


def overdue_csv(items: list[dict]) -> Response:
    """Return the overdue list as a CSV download that Excel opens in Chinese."""
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
