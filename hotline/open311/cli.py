"""``hotline open311 keys``: issue, list and revoke Open311 API keys."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hotline.core.actors import Actor
from hotline.core.errors import DomainError
from hotline.core.timeutil import isoformat
from hotline.open311.operations import create_key, list_keys, revoke_key

CLI_ACTOR = Actor(None, "cli", "admin")


@click.group("open311", help="Open311 GeoReport v2.")
def open311_cli() -> None:
    """Group the Open311 commands."""


@open311_cli.group("keys", help="API keys issued per application.")
def keys_cli() -> None:
    """Group the key commands."""


@keys_cli.command("create")
@click.option("--name", required=True, help="The application the key is for.")
@with_appcontext
def create_command(name: str) -> None:
    """Issue a key; the key itself is printed once, on the last line."""
    try:
        row, key = create_key(name, CLI_ACTOR)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created key {row.id} ({row.prefix}) for {row.name}; it is shown only now:")
    click.echo(key)


@keys_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List keys: id, prefix, state, application, created, last used."""
    tz = current_app.config["HOTLINE"].timezone
    for row in list_keys():
        state = "active" if row.active else "revoked"
        used = isoformat(row.last_used_at, tz) or "never"
        click.echo(
            f"{row.id}\t{row.prefix}\t{state}\t{row.name}\t{isoformat(row.created_at, tz)}\t{used}"
        )


@keys_cli.command("revoke")
@click.argument("key_ref")
@with_appcontext
def revoke_command(key_ref: str) -> None:
    """Revoke a key by id or prefix."""
    try:
        row = revoke_key(key_ref, CLI_ACTOR)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"revoked key {row.id} ({row.prefix}) of {row.name}")
