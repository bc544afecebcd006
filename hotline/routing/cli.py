"""`rules` commands: check the rule files, run the golden cases, explain one decision."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from hotline.routing.address import AddressIndex
from hotline.routing.directory import Directory
from hotline.routing.engine import Router
from hotline.routing.golden import load_cases, run_case
from hotline.routing.rules import RuleSetError, load_ruleset

REPO_RULES_DIR = Path(__file__).resolve().parents[2] / "routing_rules"


def default_rules_dir() -> Path:
    """Return $HOTLINE_RULES_DIR or the repository's routing_rules folder."""
    return Path(os.environ.get("HOTLINE_RULES_DIR") or REPO_RULES_DIR)


def _org(ctx: click.Context) -> tuple[list[Any], list[Any]]:
    """Return (places, department specs): from ctx.obj when given (tests), else the extract."""
    obj = ctx.obj if isinstance(ctx.obj, dict) else {}
    if "places" in obj and "specs" in obj:
        return obj["places"], obj["specs"]
    from hotline.org.divisions import load_extract
    from hotline.org.templates import department_specs

    places = load_extract()
    return places, department_specs(places)


def _router(ctx: click.Context, rules_dir: Path) -> Router:
    """Load the rules and build a Router, exiting with the errors when the rules are broken."""
    places, specs = _org(ctx)
    try:
        ruleset = load_ruleset(
            rules_dir,
            place_codes=[p.code for p in places],
            department_codes=[s.code for s in specs],
        )
    except RuleSetError as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        ctx.exit(1)
    return Router(ruleset, AddressIndex(places), Directory(specs))


rules_dir_option = click.option(
    "--rules-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Rule folder (default: $HOTLINE_RULES_DIR or <repo>/routing_rules).",
)


@click.group("rules")
def rules() -> None:
    """Routing rules: check, test, explain."""


@rules.command("check")
@rules_dir_option
@click.pass_context
def check(ctx: click.Context, rules_dir: Path | None) -> None:
    """Validate the rule files; print every mistake as file:line: message."""
    router = _router(ctx, rules_dir or default_rules_dir())
    count = len(router.compiled.rules)
    click.echo(f"ok: {count} rules, version {router.version}")


@rules.command("test")
@rules_dir_option
@click.option("--golden-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.pass_context
def test(ctx: click.Context, rules_dir: Path | None, golden_dir: Path | None) -> None:
    """Run the golden cases; print failures; exit 1 if any fails."""
    rules_dir = rules_dir or default_rules_dir()
    router = _router(ctx, rules_dir)
    cases, errors = load_cases(golden_dir or rules_dir / "golden")
    for error in errors:
        click.echo(error)
    failed = 0
    for case in cases:
        problems = run_case(router, case)
        if problems:
            failed += 1
            click.echo(f"{case.where}: FAIL {case.text}")
            for problem in problems:
                click.echo(f"    {problem}")
    click.echo(f"{len(cases) - failed}/{len(cases)} golden cases passed (rules {router.version})")
    if failed or errors or not cases:
        ctx.exit(1)


@rules.command("explain")
@rules_dir_option
@click.option("--text", default=None, help="What the resident said.")
@click.option("--address", default=None)
@click.option("--type", "type_", default=None, help="Ticket type, e.g. complaint.")
@click.option("--channel", default=None, help="Channel, e.g. sms.")
@click.option("--community-code", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@click.option("--jsonl", is_flag=True, help="Read one JSON object per line on stdin.")
@click.pass_context
def explain(ctx: click.Context, rules_dir: Path | None, text: str | None, address: str | None,
            type_: str | None, channel: str | None, community_code: str | None,
            as_json: bool, jsonl: bool) -> None:  # fmt: skip
    """Show how one ticket (or each JSON line on stdin) would be routed."""
    router = _router(ctx, rules_dir or default_rules_dir())
    if jsonl:
        for number, line in enumerate(sys.stdin, start=1):
            if line.strip():
                click.echo(json.dumps(_decide_line(router, line, number), ensure_ascii=False))
        return
    if text is None:
        raise click.UsageError("give --text (or --jsonl with lines on stdin)")
    decision = router.decide(
        text, address=address, type=type_, channel=channel, community_code=community_code
    ).to_dict()
    if as_json:
        click.echo(json.dumps(decision, ensure_ascii=False, indent=2))
        return
    click.echo(f"→ {decision['department']['code']} {decision['department']['name']}")
    click.echo(
        f"  rule {decision['rule']}, urgent {decision['urgent']}, emergency {decision['emergency']}"
    )
    for entry in decision["trace"]:
        click.echo("  - " + json.dumps(entry, ensure_ascii=False))


def _decide_line(router: Router, line: str, number: int) -> dict[str, Any]:
    """Decide one JSON line, or describe why it cannot be decided."""
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError("expected an object with a string 'text'")
        fields = {k: item.get(k) for k in ("address", "type", "channel", "community_code")}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            raise ValueError("address, type, channel and community_code must be strings")
        return router.decide(item["text"], **fields).to_dict()
    except ValueError as exc:
        return {"error": str(exc), "line": number}


@rules.command("eval")
@rules_dir_option
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--misses", default=0, type=click.IntRange(min=0), help="List the first N misses.")
@click.pass_context
def evaluate_file(ctx: click.Context, rules_dir: Path | None, file: Any, misses: int) -> None:
    """Measure the router on a JSON-lines file of text, expected_functions, source_label."""
    from hotline.routing.evaluate import EvalInputError, evaluate, read_items, report

    router = _router(ctx, rules_dir or default_rules_dir())
    try:
        items = read_items(file)
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report(evaluate(router, items), misses):
        click.echo(line)


# The commands that read the database: stats, suggest, train, autodispatch, feedback-rebuild.
from hotline.routing import learning_cli  # noqa: E402, F401
