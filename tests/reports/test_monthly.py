"""The monthly report: the CLI writes a PDF and an XLSX with the month's figures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.assessment.test_assessment import build, scheme  # noqa: F401  (fixture)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


def _run(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["report", "monthly", *args])


@pytest.mark.usefixtures("scheme")
def test_monthly_report_as_xlsx_has_the_month_s_tables(app: Any, tmp_path: Path) -> None:
    build(app)
    out = tmp_path / "2026-10.xlsx"
    result = _run(app, "--month", "2026-10", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["概览", "渠道", "类型", "领域"]
    summary = {row[0]: row[1] for row in book["概览"].iter_rows(min_row=2, values_only=True)}
    assert summary["受理"] == 6 and summary["本月红牌"] == 1
    assert summary["不计入考核的评价"] == 0
    assert summary["满意率"] == round(3 / 5, 4)
    ranking = list(book["考核排名"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in ranking] == ["武侯区", "锦江区"]
    assert (ranking[0][9], ranking[0][10]) == (100.0, 1), "the month before beside it"
    assert book["领域"]._charts, "the volumes by function have a chart"


@pytest.mark.usefixtures("scheme")
def test_monthly_report_as_pdf_prints_on_a4(app: Any, tmp_path: Path) -> None:
    build(app)
    out = tmp_path / "2026-10.pdf"
    result = _run(app, "--month", "2026-10", "--format", "pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    body = out.read_bytes()
    assert body.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in body
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "2026年10月月度通报" in text and "武侯区" in text and "考核排名" in text
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                        str(ARTIFACTS / "monthly-2026-10")], check=True)  # fmt: skip


@pytest.mark.parametrize("month", ["2026-13", "26-10", "next"])
def test_a_bad_month_is_refused(app: Any, tmp_path: Path, month: str) -> None:
    result = _run(app, "--month", month, "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "YYYY-MM" in result.output
    assert not (tmp_path / "x.pdf").exists()
