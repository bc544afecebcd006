"""Abuse: what one phone number receives, and sign-in guessing with and without Redis."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from hotline import create_app
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.notifications.models import OutboxMessage
from hotline.notifications.operations import refused_count
from hotline.tickets.models import Ticket
from hotline.users.models import User
from tests.support.plugin import inside_one_minute

VICTIM = "13900001111"


def test_one_phone_gets_a_bounded_number_of_messages_and_no_ticket_is_lost(app_env, app, caplog):
    limited = create_app(
        {**app_env, "HOTLINE_SMS_PER_PHONE_HOUR": "3", "HOTLINE_SMS_PER_PHONE_DAY": "4"}
    )
    client = limited.test_client()
    numbers = []
    caplog.set_level(logging.WARNING, logger="hotline.notifications.operations")
    for i in range(5):
        body = {"type": "help", "description": f"骚扰测试 {i}", "phone": VICTIM}
        # From many addresses: the per-address limit would not catch this.
        response = client.post(
            "/api/v1/tickets", json=body, environ_base={"REMOTE_ADDR": f"10.1.2.{i}"}
        )
        assert response.status_code == 201
        numbers.append(response.json["number"])
    with limited.app_context():
        assert db.session.scalar(select(db.func.count()).where(Ticket.number.in_(numbers))) == 5
        states = db.session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.to == VICTIM).order_by(OutboxMessage.id)
        ).all()
        assert list(states) == ["pending"] * 3 + ["limited"] * 2
        assert refused_count(VICTIM) == 2
        # An hour later the hourly share is back, but the daily one is not exhausted yet: one
        # more message goes out, then the daily limit refuses.
        db.session.execute(
            db.update(OutboxMessage)
            .where(OutboxMessage.to == VICTIM)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
        db.session.commit()
    for i in range(2):
        body = {"type": "help", "description": f"骚扰测试 {i}", "phone": VICTIM}
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    with limited.app_context():
        states = db.session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.to == VICTIM).order_by(OutboxMessage.id)
        ).all()
        assert list(states[-2:]) == ["pending", "limited"]
        assert refused_count(VICTIM) == 3
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 3
    assert all("139****1111" in line and VICTIM not in line for line in refusals)


def _token(client, username, password, addr="10.7.7.7"):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_sign_in_is_limited_while_redis_is_down(app_env, app):
    inside_one_minute()
    down = create_app(
        {
            **app_env,
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "HOTLINE_RATE_LIMIT": "3",
            "HOTLINE_LOGIN_RATE_LIMIT": "3",
            "HOTLINE_LOGIN_MAX_FAILURES": "0",
        }
    )
    client = down.test_client()
    codes = [_token(client, "nobody", "guess").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert "Retry-After" in _token(client, "nobody", "guess").headers


def test_staff_sign_in_has_its_own_budget(app_env, app):
    from tests.support.plugin import PASSWORD, make_user

    inside_one_minute()
    limited = create_app({**app_env, "HOTLINE_RATE_LIMIT": "2", "HOTLINE_LOGIN_RATE_LIMIT": "20"})
    client = limited.test_client()
    body = {"type": "help", "description": "路灯坏了", "phone": "13812345678"}
    env = {"REMOTE_ADDR": "10.7.7.7"}
    intake = [
        client.post("/api/v1/tickets", json=body, environ_base=env).status_code for _ in range(3)
    ]
    assert intake == [201, 201, 429]
    # A whole centre behind the same address signs in at shift change.
    users = [make_user(app, "operator") for _ in range(6)]
    assert [_token(client, u, PASSWORD).status_code for u in users] == [200] * 6


def test_an_account_locks_after_repeated_failures(app_env, app):
    from tests.support.plugin import PASSWORD, make_user

    locking = create_app({**app_env, "HOTLINE_LOGIN_MAX_FAILURES": "3"})
    locking.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    client = locking.test_client()
    username = make_user(app, "operator")
    # Each guess from another address: the per-address limit would not stop them.
    codes = [_token(client, username, "wrong", f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [401, 401, 429]
    locked = _token(client, username, PASSWORD)
    assert locked.status_code == 429 and locked.json["error"]["code"] == "account_locked"
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    page = client.post("/login", data={"username": username, "password": PASSWORD})
    assert page.status_code == 429 and "已被锁定" in page.get_data(as_text=True)
    client.set_cookie("hotline_lang", "en")
    page = client.post("/login", data={"username": username, "password": PASSWORD})
    assert "locked" in page.get_data(as_text=True)
    # Another account is not affected; after the lockout time the right password works.
    other = make_user(app, "operator")
    assert _token(client, other, PASSWORD).status_code == 200
    with locking.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _token(client, username, PASSWORD).status_code == 200
