"""``hotline sla sweep``: run one SLA sweep as of a given time, or show what it would do."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask.cli import AppGroup

from hotline.core.timeutil import to_utc, utcnow
from hotline.sla import operations

sla_cli = AppGroup("sla", help="Deadlines, warnings and escalation (红黄牌, 督办).")


def _parse_at(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected ISO 8601, e.g. 2026-12-01T09:00:00+08:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the UTC offset, e.g. +08:00")
    return to_utc(moment)


@sla_cli.command("sweep")
@click.option("--at", callback=_parse_at, help="Sweep as of this moment (ISO 8601 with offset).")
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def sweep_command(at: datetime | None, dry_run: bool, as_json: bool) -> None:
    """Warn, red-card, escalate and close whatever has fallen due."""
    if at is not None and at > utcnow() and not dry_run:
        # Acting on the future would red-card tickets before their deadlines.
        raise click.UsageError("--at in the future only with --dry-run (to see what is coming)")
    result = operations.sweep(at, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    verb = "would do" if dry_run else "did"
    click.echo(f"as of {result['at']}: checked {result['checked']}, {verb} {len(result['acts'])}")
    for act in result["acts"]:
        click.echo(
            f"  {act['number']}  {act['kind']:<8} {act.get('step', '')}  {act.get('level', '')}"
        )
