"""`rules` commands that learn from the centre's history: stats, suggest, train, autodispatch."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from hotline.routing.cli import rules, rules_dir_option


def _settings():  # noqa: ANN202 - hotline.config.Settings
    return current_app.config["HOTLINE"]


def _since(value: datetime | None) -> datetime | None:
    """Return a local calendar date's start as naive UTC (the form the database stores)."""
    if value is None:
        return None
    local = value.replace(tzinfo=ZoneInfo(_settings().timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


date_type = click.DateTime(formats=["%Y-%m-%d"])


def _percent(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "-"


@rules.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
@click.option("--by", type=click.Choice(["all", "rule", "function"]), default="all")
@click.option("--since", type=date_type, default=None, help="Only proposals since YYYY-MM-DD.")
@with_appcontext
def stats(as_json: bool, by: str, since: datetime | None) -> None:
    """Show per rule and per function: proposals, dispatched as proposed, stayed, rate."""
    from hotline.routing.stats import function_stats, rule_stats

    tables = []
    if by in ("all", "rule"):
        tables.append(("rule", rule_stats(_since(since))))
    if by in ("all", "function"):
        tables.append(("function", function_stats(_since(since))))
    for key, rows in tables:
        if as_json:
            for row in rows:
                data = {"by": key, "rule": None, "function": None, **row.to_dict(key)}
                click.echo(json.dumps(data, ensure_ascii=False))
            continue
        click.echo(
            f"{key:<40} {'proposals':>9} {'dispatched':>10} {'as proposed':>11} "
            f"{'stayed':>7} {'first-time-right':>16}"
        )
        for row in rows:
            click.echo(
                f"{row.rule:<40} {row.fired:>9} {row.dispatched:>10} {row.as_proposed:>11} "
                f"{row.stayed:>7} {_percent(row.rate):>16}"
            )
        click.echo("")
    if not as_json:
        click.echo(
            "first-time-right = dispatched as proposed, never returned, transferred or pulled back since"
        )


@rules.command("suggest")
@rules_dir_option
@click.option("--since", type=date_type, required=True, help="Corrections since YYYY-MM-DD.")
@click.option("--min-count", type=click.IntRange(1), default=3, show_default=True,
              help="How many corrections a word must recur in.")  # fmt: skip
@with_appcontext
def suggest(rules_dir: Path | None, since: datetime, min_count: int) -> None:
    """Print proposed rule changes as a unified diff of the rule files (writes nothing)."""
    from hotline.routing.rules import RuleSetError, load_ruleset
    from hotline.routing.suggest import RuleFiles, examples, plan

    folder = Path(rules_dir or _settings().rules_dir)
    try:
        ruleset = load_ruleset(folder)
    except RuleSetError as exc:
        raise click.ClickException("the rule files have mistakes:\n" + str(exc)) from None
    found = examples(_since(since) or datetime.min)
    corrections = sum(1 for e in found if not e.right)
    click.echo(f"# {corrections} correction(s), {len(found) - corrections} confirmation(s) "
               f"since {since:%Y-%m-%d}", err=True)  # fmt: skip
    files = RuleFiles(folder)
    for change in plan(ruleset.rules, found, min_count):
        snapshot = {name: list(lines) for name, lines in files.current.items()}
        if not files.apply(change):
            click.echo(f"# skipped (layout not editable): {change.why}", err=True)
            continue
        errors = files.still_valid()
        if errors:
            files.current.update(snapshot)
            click.echo(f"# skipped (would break the rules: {errors[0]}): {change.why}", err=True)
            continue
        click.echo(f"# {change.kind}: {change.why}", err=True)
    patch = files.diff()
    if not patch:
        click.echo("# no changes to suggest", err=True)
        return
    sys.stdout.write(patch)


@rules.command("train")
@click.option("--min-probability", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Below this probability the fallback keeps quiet.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=200_000, show_default=True,
              help="Train on at most this many of the latest dispatched tickets.")  # fmt: skip
@click.option("--remove", is_flag=True, help="Delete the model: the fallback is off again.")
@with_appcontext
def train(min_probability: float, limit: int, remove: bool) -> None:
    """Train the statistical fallback on this centre's dispatch history (instance folder)."""
    from hotline.routing.fallback import fit, model_path, save
    from hotline.routing.feedback import labelled_examples

    path = model_path(_settings().instance_path)
    if remove:
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        click.echo(f"removed {path}: the fallback is off")
        return
    found = labelled_examples(limit)
    try:
        model = fit(found, min_probability=min_probability)
    except ValueError as exc:
        raise click.ClickException(f"not trained: {exc}") from None
    save(path, model)
    meta = model.meta
    click.echo(f"trained on {meta['examples']} tickets, {len(meta['labels'])} labels → {path}")
    if meta.get("holdout"):
        click.echo(
            f"holdout of {meta['holdout']}: accuracy {_percent(meta['holdout_accuracy'])}; "
            f"sure (p >= {min_probability:g}) on {_percent(meta['holdout_coverage'])}, "
            f"accuracy there {_percent(meta['holdout_accuracy_when_sure'])}"
        )


@rules.group("autodispatch")
def autodispatch_cli() -> None:
    """Let a rule that earned it dispatch without an operator (enable, disable, list)."""


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@autodispatch_cli.command("enable")
@click.argument("rule_id")
@with_appcontext
def autodispatch_enable(rule_id: str) -> None:
    """Switch auto-dispatch on for RULE_ID (refused unless its record earns it)."""
    from hotline.routing import autodispatch

    try:
        measured = autodispatch.enable(rule_id, _who())
    except autodispatch.AutodispatchError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"auto-dispatch on for {rule_id}: {measured.describe()}")


@autodispatch_cli.command("disable")
@click.argument("rule_id")
@with_appcontext
def autodispatch_disable(rule_id: str) -> None:
    """Switch auto-dispatch off for RULE_ID."""
    from hotline.routing import autodispatch

    try:
        autodispatch.disable(rule_id, _who())
    except autodispatch.AutodispatchError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"auto-dispatch off for {rule_id}")


@autodispatch_cli.command("list")
@click.argument("rule_id", required=False)
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def autodispatch_list(rule_id: str | None, as_json: bool) -> None:
    """List the rules' switches with their record now (or the record of one RULE_ID)."""
    from hotline.routing import autodispatch

    listed = autodispatch.switches()
    if rule_id:
        listed = [(row, rec) for row, rec in listed if row.rule == rule_id]
        if not listed:
            click.echo(
                f"{rule_id}: off (never switched on); {autodispatch.record(rule_id).describe()}"
            )
            return
    for row, rec in listed:
        if as_json:
            data = {"rule": row.rule, "enabled": row.enabled, "earned": rec.earned,
                    "rate": rec.rate, "sample": rec.sample, "changed_by": row.changed_by,
                    "changed_at": row.changed_at.isoformat()}  # fmt: skip
            click.echo(json.dumps(data, ensure_ascii=False))
            continue
        state = "on " if row.enabled else "off"
        earned = "" if rec.earned else "  (record below the bar: tickets wait for operators)"
        click.echo(f"{state} {row.rule:<40} {rec.describe()}{earned}")
    if not listed and not as_json:
        click.echo("no rule may auto-dispatch")


@rules.command("feedback-rebuild")
@with_appcontext
def feedback_rebuild() -> None:
    """Recompute the routing feedback of every ticket from the timelines."""
    from hotline.routing.feedback import rebuild

    click.echo(f"{rebuild()} ticket(s) with routing feedback")
