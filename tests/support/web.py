"""Web page test helpers: sign in through the real form (CSRF included), read and set tickets."""

from __future__ import annotations

import re
from typing import Any

from hotline.core.extensions import db

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: Any, path: str = "/login") -> str:
    """Return the CSRF token of the form on ``path``."""
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client: Any, username: str, password: str = "secret123") -> Any:
    """Sign in with the login form; return the response (a redirect on success)."""
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
    )


def signed_in(app: Any, staff: Any, role: str, **scope: Any) -> Any:
    """Return a fresh test client signed in as a new ``role`` user of ``scope``."""
    name = f"{role}_{scope.get('org_unit') or scope.get('department') or 'all'}".replace("-", "_")
    staff(role, username=name, **scope)
    client = app.test_client()
    assert login(client, name).status_code == 302
    return client


def post_form(client: Any, path: str, data: dict[str, Any], form_page: str) -> Any:
    """Post ``data`` to ``path`` as the form on ``form_page`` does (CSRF token, Referer)."""
    token = csrf_token(client, form_page)
    return client.post(
        path,
        data={**data, "csrf_token": token},
        headers={"Referer": f"http://localhost{form_page}"},
    )


def set_fields(app: Any, number: str, **fields: Any) -> None:
    """Write ticket fields straight to the database (a state the test needs)."""
    from hotline.tickets.models import Ticket

    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        for name, value in fields.items():
            setattr(ticket, name, value)
        db.session.commit()
        db.session.remove()


def status_of(app: Any, number: str) -> str:
    """Return a ticket's status as stored."""
    from hotline.tickets.models import Ticket

    with app.app_context():
        status = db.session.execute(db.select(Ticket.status).filter_by(number=number)).scalar_one()
        db.session.remove()
    return status
