"""Sessions and tokens end on the server: sign-out, a new password, deactivation, idle time."""

from __future__ import annotations

import base64
import json
import time

from itsdangerous import TimestampSigner
from sqlalchemy import select

from hotline import create_app
from hotline.core.extensions import db
from hotline.users.models import User
from tests.support.plugin import PASSWORD, make_user


def _signed_in(app, role="operator"):
    username = make_user(app, role)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    ).json["token"]
    return username, client, {"Authorization": f"Bearer {token}"}


def _cookie(client, app) -> str:
    return client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), value)
    return other


def test_a_copied_cookie_and_the_tokens_stop_working_after_sign_out(app, nocsrf):
    _, client, token = _signed_in(app)
    copied = _cookie(client, app)
    assert _with_cookie(app, copied).get("/operator").status_code == 200
    assert client.post("/logout").status_code == 302
    assert _with_cookie(app, copied).get("/operator").status_code == 302  # to /login
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401


def test_a_password_reset_and_a_deactivation_end_sessions_and_tokens(app, nocsrf):
    username, client, token = _signed_in(app)
    admin_name = make_user(app, "admin")
    admin = app.test_client()
    admin.post("/login", data={"username": admin_name, "password": PASSWORD})
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
    assert client.get("/operator").status_code == 200
    response = admin.post(f"/admin/users/{user_id}/password", data={"password": "new-pass-456"})
    assert response.status_code == 303
    assert client.get("/operator").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401

    # Signed in again with the new password, then deactivated and reactivated: the session
    # and the token of before stay dead.
    client.post("/login", data={"username": username, "password": "new-pass-456"})
    fresh = app.test_client().post(
        "/api/v1/auth/token", json={"username": username, "password": "new-pass-456"}
    )
    token = {"Authorization": f"Bearer {fresh.json['token']}"}
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 200
    admin.post(f"/admin/users/{user_id}/active", data={"active": "false"})
    admin.post(f"/admin/users/{user_id}/active", data={"active": "true"})
    assert client.get("/operator").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401


def test_tokens_carry_no_password_material(app, client):
    username = make_user(app, "operator")
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    ).json["token"]
    payload = token.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) == {"uid", "ep"}
    with app.app_context():
        hashed = db.session.scalar(select(User.password_hash).where(User.username == username))
    assert not any(hashed[i : i + 6] in token for i in range(len(hashed) - 6))


def test_a_session_ends_after_the_idle_time(app_env, app, monkeypatch):
    idle = create_app({**app_env, "HOTLINE_SESSION_IDLE_MINUTES": "5"})
    idle.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    assert idle.permanent_session_lifetime.total_seconds() == 300
    username = make_user(app, "operator")
    client = idle.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    assert client.get("/operator").status_code == 200
    # The same session as it was signed 4 minutes ago still works (and is re-signed); as it
    # was signed 6 minutes ago it does not.
    serializer = idle.session_interface.get_signing_serializer(idle)
    data = serializer.loads(_cookie(client, idle))
    for minutes_ago, expected in ((4, 200), (6, 302)):
        monkeypatch.setattr(
            TimestampSigner, "get_timestamp", lambda self, m=minutes_ago: int(time.time()) - m * 60
        )
        old = serializer.dumps(data)
        monkeypatch.undo()
        assert _with_cookie(idle, old).get("/operator").status_code == expected, minutes_ago
