"""``hotline interop keys``: issue, list and revoke the keys partner platforms (110) use."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hotline.core.actors import Actor
from hotline.core.errors import DomainError
from hotline.core.timeutil import isoformat
from hotline.interop.operations import create_key, list_keys, revoke_key

CLI_ACTOR = Actor(None, "cli", "admin")


@click.group("interop", help="Exchange with other platforms (the 110 police platform).")
def interop_cli() -> None:
    """Group the interop commands."""


@interop_cli.group("keys", help="Keys a partner platform sends as Authorization: Bearer KEY.")
def keys_cli() -> None:
    """Group the key commands."""


@keys_cli.command("create")
@click.option("--name", required=True, help="The partner platform: 110.")
@with_appcontext
def create_command(name: str) -> None:
    """Issue a key; the key itself is printed once, on the last line."""
    try:
        row, key = create_key(name, CLI_ACTOR)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created key {row.id} ({row.prefix}) for {row.partner}; it is shown only now:")
    click.echo(key)


@keys_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List keys: id, prefix, state, partner, created, last used."""
    tz = current_app.config["HOTLINE"].timezone
    for row in list_keys():
        state = "active" if row.active else "revoked"
        used = isoformat(row.last_used_at, tz) or "never"
        created = isoformat(row.created_at, tz)
        click.echo(f"{row.id}\t{row.prefix}\t{state}\t{row.partner}\t{created}\t{used}")


@keys_cli.command("revoke")
@click.argument("key_ref")
@with_appcontext
def revoke_command(key_ref: str) -> None:
    """Revoke a key by id or prefix."""
    try:
        row = revoke_key(key_ref, CLI_ACTOR)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"revoked key {row.id} ({row.prefix}) of {row.partner}")
