"""``hotline report monthly``: write the month's report as PDF or XLSX."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from hotline.core.timeutil import utcnow
from hotline.reports.monthly import monthly_data
from hotline.reports.pdf import render_pdf
from hotline.reports.xlsx import render_xlsx

RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx}


def build_report(month: str, fmt: str) -> bytes:
    """Return the report of ``month`` in format ``fmt`` (needs an app context)."""
    settings = current_app.config["HOTLINE"]
    scheme = current_app.extensions["hotline_assessment"]
    # The report is a Chinese document whoever asks for it (the leaders sign it as such).
    with force_locale("zh_CN"):
        data = monthly_data(month, settings.city, settings.timezone, utcnow(), scheme)
    return RENDERERS[fmt](data, settings.report_font)


@click.group("report", help="Reports for the centre's leaders.")
def report_cli() -> None:
    """Group the report commands."""


@report_cli.command("monthly")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="pdf",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def monthly_command(month: str, fmt: str, out: Path) -> None:
    """Write the monthly report (月度通报) of MONTH to OUT."""
    if not re.fullmatch(r"(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])", month):
        raise click.BadParameter("expected YYYY-MM, e.g. 2026-11", param_hint="--month")
    body = build_report(month, fmt)
    try:
        out.write_bytes(body)
    except OSError as exc:
        raise click.ClickException(f"{out}: {exc.strerror}") from None
    click.echo(f"wrote {out} ({len(body):,} bytes, {fmt})")
