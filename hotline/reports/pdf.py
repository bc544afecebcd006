"""Set the monthly report as an A4 PDF: headline figures, tables and a chart."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hotline.reports.fonts import cjk_font

WIDTH = A4[0] - 36 * mm


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1),
        "sub": ParagraphStyle(
            "sub", parent=base, fontSize=10, alignment=1, textColor=colors.HexColor("#555555")
        ),  # fmt: skip
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=12.5,
            leading=20,
            spaceBefore=10,
            textColor=colors.HexColor("#9b1c1c"),
        ),  # fmt: skip
        "body": base,
    }


def _table(rows: list[list[Any]], font: str, widths: list[float] | None = None) -> Table:
    style = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    cells = [[Paragraph(str(c), style) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e8e8")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def _chart(pairs: list[tuple[str, int]], font: str) -> Drawing:
    """Return a horizontal bar chart of the volumes by department function."""
    pairs = pairs[:10][::-1]
    height = 22 + 16 * max(len(pairs), 1)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 90, 10, WIDTH - 110, height - 20
    chart.data = [[n for _, n in pairs] or [0]]
    chart.categoryAxis.categoryNames = [name for name, _ in pairs] or ["—"]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#b91c1c")
    drawing.add(chart)
    return drawing


def render_pdf(data: dict[str, Any], font_file: str | None = None) -> bytes:
    """Return the monthly report of ``data`` (from monthly_data) as PDF bytes."""
    font = cjk_font(font_file)
    s = _styles(font)
    t = data["totals"]
    story: list[Any] = [
        Paragraph(f"{data['city']}12345热线{data['month_label']}月度通报", s["title"]),
        Paragraph(f"统计时段：{data['window']['from']} 至 {data['window']['to']}", s["sub"]),
        Spacer(1, 6 * mm),
        Paragraph("一、总体情况", s["h2"]),
        Paragraph(
            f"本月受理诉求 {t['received']} 件，派单 {t['dispatched']} 件，回访评价 {t['rated']} 件；"
            f"响应率 {_pct(t['response_rate'])}，解决率 {_pct(t['resolution_rate'])}，"
            f"满意率 {_pct(t['satisfaction_rate'])}；当前超期 {t['overdue']} 件，"
            f"本月红牌 {data['red_cards']} 次，督办升级 {data['escalations']} 次；"
            f"经审核不计入考核的评价（不合理诉求）{data['excluded_ratings']} 件。",
            s["body"],
        ),
        Spacer(1, 3 * mm),
        _table([["渠道", "件数"], *data["by_channel"]], font, [60 * mm, 30 * mm]),
        Spacer(1, 3 * mm),
        _table([["诉求类型", "件数"], *data["by_type"]], font, [60 * mm, 30 * mm]),
        Paragraph("二、诉求领域分布", s["h2"]),
        _chart(data["by_function"], font),
        Paragraph("三、考核排名（区县）", s["h2"]),
    ]
    header = ["名次", "单位", "件数", "响应率", "解决率", "满意率", "扣分", "得分", "上月名次"]
    rows = [
        [r["rank"], r["name"], r["tickets"], _pct(r["parts"]["response_rate"]),
         _pct(r["parts"]["resolution_rate"]), _pct(r["parts"]["satisfaction_rate"]),
         r["deduction_points"], r["score"], (r.get("previous") or {}).get("rank") or "—"]
        for r in data["districts"]
    ]  # fmt: skip
    story.append(
        _table([header, *rows], font)
        if rows
        else Paragraph("本月无达到排名门槛的单位。", s["body"])
    )
    story.append(Paragraph("四、部门得分前十", s["h2"]))
    dept_rows = [
        [i + 1, r["name"], r["tickets"], r["score"]] for i, r in enumerate(data["departments_top"])
    ]
    story.append(_table([["序号", "部门", "件数", "得分"], *dept_rows], font, [15 * mm, 95 * mm, 20 * mm, 20 * mm])
                 if dept_rows else Paragraph("本月无达到排名门槛的部门。", s["body"]))  # fmt: skip
    story.append(Paragraph("五、超期与督办", s["h2"]))
    esc = [
        [e["number"], e["type"], e["department"], e["level"], e["count"], e["status"]]
        for e in data["escalated"]
    ]
    story.append(_table([["工单号", "类型", "承办单位", "督办层级", "升级次数", "状态"], *esc], font)
                 if esc else Paragraph("本月无升级督办的工单。", s["body"]))  # fmt: skip
    story.append(Paragraph("六、热点区域", s["h2"]))
    spots = [[h["name"], h["total"], h["top"]] for h in data["hotspots"]]
    story.append(_table([["社区", "件数", "主要领域"], *spots], font, [70 * mm, 20 * mm, 50 * mm])
                 if spots else Paragraph("本月无热点。", s["body"]))  # fmt: skip
    story.append(Paragraph("七、典型案例", s["h2"]))
    for case in data["cases"] or []:
        story.append(Paragraph(
            f"<b>{case['number']}</b>（{case['type']}，{case['department']}，{case['rating']}）"
            f"诉求：{case['matter']} 答复：{case['reply']}", s["body"]))  # fmt: skip
        story.append(Spacer(1, 2 * mm))
    if not data["cases"]:
        story.append(Paragraph("本月无办结案例。", s["body"]))
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"{data['city']}12345 {data['month']} 月度通报")  # fmt: skip
    doc.build(story)
    return buffer.getvalue()
