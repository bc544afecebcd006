"""Attach every CLI command group to the app, so ``hotline`` and ``flask --app app`` agree."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    """Add the command groups of each domain package."""
    from hotline.demo import demo_cli
    from hotline.early_warning.cli import warnings_cli
    from hotline.interop.cli import interop_cli
    from hotline.open311.cli import open311_cli
    from hotline.org.cli import org_cli
    from hotline.reports.cli import report_cli
    from hotline.routing.cli import rules
    from hotline.sla.cli import sla_cli
    from hotline.stats.cli import stats_cli
    from hotline.tasks.cli import scheduler_command, worker_command
    from hotline.twilio.cli import simulate_cli
    from hotline.users.cli import users_cli

    for command in (
        org_cli,
        rules,
        users_cli,
        demo_cli,
        worker_command,
        scheduler_command,
        sla_cli,
        stats_cli,
    ):
        app.cli.add_command(command)
    app.cli.add_command(open311_cli)
    app.cli.add_command(simulate_cli)
    app.cli.add_command(interop_cli)
    app.cli.add_command(report_cli)
    app.cli.add_command(warnings_cli)
