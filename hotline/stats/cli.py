"""``hotline stats refresh|rebuild|verify``: the daily aggregates behind the rates."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from hotline.core.extensions import db
from hotline.stats import rollup

stats_cli = AppGroup("stats", help="The daily aggregates behind the rates (三率) and figures.")


@stats_cli.command("refresh")
def refresh_command() -> None:
    """Recount the days with tickets changed since the last run."""
    click.echo(f"recounted {rollup.refresh()} day(s)")


@stats_cli.command("rebuild")
def rebuild_command() -> None:
    """Count every day again from the tickets."""
    click.echo(f"rebuilt {rollup.rebuild()} day(s)")


@stats_cli.command("verify")
def verify_command() -> None:
    """Bring the aggregates up to date, then check them against a full recount."""
    rollup.refresh()
    problems = rollup.verify()
    db.session.remove()
    for line in problems[:50]:
        click.echo(line)
    if problems:
        raise click.ClickException(f"{len(problems)} aggregate row(s) disagree with a recount")
    click.echo("aggregates agree with a full recount")
