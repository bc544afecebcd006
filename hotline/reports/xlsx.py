"""Write the monthly report's tables to an XLSX workbook, one sheet a table, with a chart."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

HEAD = PatternFill("solid", fgColor="F3E8E8")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEAD
    for row in rows:
        sheet.append(row)
    for column, name in zip(sheet.columns, header, strict=False):
        width = max([len(str(name)) * 2] + [len(str(c.value or "")) * 1.6 for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
    return sheet


def render_xlsx(data: dict[str, Any], font_file: str | None = None) -> bytes:
    """Return the monthly report of ``data`` (from monthly_data) as XLSX bytes."""
    book = Workbook()
    summary = book.active
    summary.title = "概览"
    t = data["totals"]
    summary.append([f"{data['city']}12345热线{data['month_label']}月度通报"])
    summary["A1"].font = Font(bold=True, size=14)
    for name, value in (
        ("统计时段", f"{data['window']['from']} 至 {data['window']['to']}"),
        ("受理", t["received"]), ("派单", t["dispatched"]), ("评价", t["rated"]),
        ("响应率", t["response_rate"]), ("解决率", t["resolution_rate"]),
        ("满意率", t["satisfaction_rate"]), ("当前超期", t["overdue"]),
        ("本月红牌", data["red_cards"]), ("督办升级", data["escalations"]),
        ("不计入考核的评价", data["excluded_ratings"]),
    ):  # fmt: skip
        summary.append([name, value])
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 28
    _sheet(book, "渠道", ["渠道", "件数"], [list(r) for r in data["by_channel"]])
    _sheet(book, "类型", ["诉求类型", "件数"], [list(r) for r in data["by_type"]])
    functions = _sheet(book, "领域", ["领域", "件数"], [list(r) for r in data["by_function"]])
    if data["by_function"]:
        chart = BarChart()
        chart.title = "诉求领域分布"
        chart.type = "bar"
        count = len(data["by_function"]) + 1
        chart.add_data(
            Reference(functions, min_col=2, min_row=1, max_row=count), titles_from_data=True
        )
        chart.set_categories(Reference(functions, min_col=1, min_row=2, max_row=count))
        chart.height, chart.width = 9, 16
        functions.add_chart(chart, "D2")
    _sheet(book, "考核排名", ["名次", "单位", "件数", "响应率", "解决率", "满意率", "按期办结率", "扣分", "得分", "上月得分", "上月名次"], [
        [r["rank"], r["name"], r["tickets"], r["parts"]["response_rate"], r["parts"]["resolution_rate"],
         r["parts"]["satisfaction_rate"], r["parts"]["on_time_rate"], r["deduction_points"], r["score"],
         (r.get("previous") or {}).get("score"), (r.get("previous") or {}).get("rank")]
        for r in data["districts"]
    ])  # fmt: skip
    _sheet(book, "部门得分", ["部门", "件数", "得分"],
           [[r["name"], r["tickets"], r["score"]] for r in data["departments_top"]])  # fmt: skip
    _sheet(book, "超期督办", ["工单号", "类型", "承办单位", "督办层级", "升级次数", "状态"],
           [[e["number"], e["type"], e["department"], e["level"], e["count"], e["status"]]
            for e in data["escalated"]])  # fmt: skip
    _sheet(book, "热点", ["社区", "件数", "主要领域"],
           [[h["name"], h["total"], h["top"]] for h in data["hotspots"]])  # fmt: skip
    _sheet(book, "典型案例", ["工单号", "类型", "承办单位", "诉求", "答复", "评价"],
           [[c["number"], c["type"], c["department"], c["matter"], c["reply"], c["rating"]]
            for c in data["cases"]])  # fmt: skip
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
