"""``hotline warnings detect``: look for surges now (the scheduler does it every 5 minutes)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from hotline.early_warning.tasks import detect_surges


@click.group("warnings", help="Early warnings (未诉先办): surges of one matter in one street.")
def warnings_cli() -> None:
    """Group the early-warning commands."""


@warnings_cli.command("detect")
@with_appcontext
def detect_command() -> None:
    """Raise the warnings due now; a surge already raised is not raised again."""
    click.echo(f"{detect_surges()} new early warning(s)")
