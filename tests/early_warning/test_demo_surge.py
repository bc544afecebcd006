"""On the demo month: a surge injected into the demo data raises exactly one warning, and the
monthly report of the demo month opens as PDF and XLSX."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from hotline.assessment.operations import previous_month
from hotline.core.extensions import db
from hotline.early_warning.models import EarlyWarning
from tests.early_warning.test_surges import _run_job
from tests.support.stats import today

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
WATER_OUT = "玉林街道玉林北路小区停水了，一早上都没有水，做饭洗漱都没法"


def test_a_surge_in_the_demo_month_raises_one_warning_and_the_report_opens(
    app: Any, client: Any, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["demo", "seed", "--tickets", "60"])
    assert seeded.exit_code == 0, seeded.output
    _run_job(app)
    with app.app_context():
        before = len(db.session.scalars(select(EarlyWarning)).all())
    for i in range(12):  # a street's water goes off: twelve residents write in within minutes
        body = {"type": "help", "description": WATER_OUT, "phone": f"1390000{i:04d}",
                "community_code": "510107005001"}  # fmt: skip
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    _run_job(app)
    _run_job(app)
    with app.app_context():
        warnings = db.session.scalars(select(EarlyWarning)).all()
        new = [(w.function, w.org_unit_code, w.count) for w in warnings][before:]
    assert new == [("water", "510107005", 12)]
    for month in (f"{today():%Y-%m}", previous_month(f"{today():%Y-%m}")):
        for fmt in ("pdf", "xlsx"):
            out = tmp_path / f"{month}.{fmt}"
            result = runner.invoke(args=["report", "monthly", "--month", month, "--format", fmt,
                                         "--out", str(out)])  # fmt: skip
            assert result.exit_code == 0, result.output
    assert (tmp_path / f"{today():%Y-%m}.pdf").read_bytes().startswith(b"%PDF")
    book = load_workbook(tmp_path / f"{today():%Y-%m}.xlsx")
    summary = {row[0]: row[1] for row in book["概览"].iter_rows(min_row=2, values_only=True)}
    assert summary["受理"] >= 12
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                        str(tmp_path / f"{today():%Y-%m}.pdf"), str(ARTIFACTS / "demo-month")],
                       check=True)  # fmt: skip
