"""The ``hotline`` console script: Flask's CLI over the app factory, plus our commands."""

from __future__ import annotations

from flask.cli import FlaskGroup

from hotline import create_app


def main() -> None:
    """Run the hotline command line."""
    cli = FlaskGroup(create_app=create_app, help="12345 hotline: run, migrate and administer.")
    cli.main(prog_name="hotline")
