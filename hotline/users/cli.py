"""``hotline users``: create staff accounts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError

from hotline.core.errors import DomainError
from hotline.users.operations import create_user
from hotline.users.schemas import UserCreateSchema


@click.group("users", help="Staff accounts.")
def users_cli() -> None:
    """Group the user commands."""


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["operator", "agent", "supervisor", "admin"])
)
@click.option("--department", default=None, help="Department code (agents).")
@click.option("--org-unit", "org_unit", default=None, help="Org unit code (supervisors).")
@click.option("--name", "display_name", default=None, help="Name shown on timelines.")
@click.option("--update", is_flag=True, help="Reset the account if it exists.")
@with_appcontext
def create_command(update: bool, **options: str | None) -> None:
    """Create a staff account."""
    try:
        data = UserCreateSchema().load({k: v for k, v in options.items() if v is not None})
        user = create_user(data, update=update)
    except ValidationError as exc:
        raise click.ClickException(f"invalid input: {exc.messages}") from None
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created {user.role} {user.username}")
