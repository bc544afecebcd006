"""``hotline demo seed``: one demo account per role, so a new user can try every console."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select, update

from hotline.core.extensions import db
from hotline.knowledge.operations import seed_articles
from hotline.org.models import Department
from hotline.users.models import User
from hotline.users.operations import create_user

# Wuhou district, Yulin street: a real corner of Chengdu to walk a ticket through.
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "admin12345", "role": "admin", "display_name": "系统管理员"},
    {
        "username": "operator",
        "password": "operator123",
        "role": "operator",
        "display_name": "话务员小李",
    },
    {
        "username": "agent",
        "password": "agent12345",
        "role": "agent",
        "department": "510107005-urban_management",
        "display_name": "玉林街道执法队王队",
    },
    {
        "username": "agent_district",
        "password": "agent12345",
        "role": "agent",
        "department": "510107-urban_management",
        "display_name": "武侯区城管局张科",
    },
    {
        "username": "supervisor",
        "password": "supervisor123",
        "role": "supervisor",
        "org_unit": "510107",
        "display_name": "武侯区督办员陈主任",
    },
    {
        "username": "supervisor_city",
        "password": "supervisor123",
        "role": "supervisor",
        "org_unit": "5101",
        "display_name": "12345中心督办科",
    },
]
DEMO_DUTY_PHONES = {
    "510107005-urban_management": "13800000001",
    "510107-urban_management": "13800000002",
    "510107005-general": "13800000003",
}


def seed_demo() -> list[dict[str, str]]:
    """Create the demo accounts that do not exist yet; return all of them."""
    for code, phone in DEMO_DUTY_PHONES.items():
        db.session.execute(
            update(Department)
            .where(Department.code == code, Department.duty_phone.is_(None))
            .values(duty_phone=phone)
        )
    db.session.commit()
    for account in DEMO_ACCOUNTS:
        exists = db.session.scalar(select(User.id).where(User.username == account["username"]))
        if exists is None and db.session.get(
            Department, account.get("department") or "5101-general"
        ):
            create_user(dict(account))
    seed_articles()
    return DEMO_ACCOUNTS


@click.group("demo", help="Demo data.")
def demo_cli() -> None:
    """Group the demo commands."""


@demo_cli.command("seed")
@with_appcontext
def seed_command() -> None:
    """Create one demo account per role (kept if they exist)."""
    for account in seed_demo():
        click.echo(f"{account['role']:<11} {account['username']:<16} {account['password']}")
