"""Sign-in, sign-out, landing pages, role guards."""

from __future__ import annotations

import pytest

from tests.support.plugin import DEPT


@pytest.mark.parametrize("path", ["/operator", "/department", "/operator/follow-up"])
def test_console_without_login_redirects_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("role", "home"),
    [("operator", "/operator"), ("agent", "/department"), ("supervisor", "/supervisor"),
     ("admin", "/admin")],
)  # fmt: skip
def test_each_role_lands_on_its_console(app, client, nocsrf, role, home):
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "u1", "password": "pw123456", "role": role,
                     "department": DEPT if role == "agent" else None,
                     "org_unit": "510107" if role == "supervisor" else None})  # fmt: skip
        db.session.remove()
    response = client.post("/login", data={"username": "u1", "password": "pw123456"})
    assert response.status_code == 302
    assert response.headers["Location"] == home


def test_wrong_password_is_refused(app, client, nocsrf):
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "u2", "password": "right-one", "role": "operator"})
        db.session.remove()
    response = client.post("/login", data={"username": "u2", "password": "wrong"})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert client.get("/operator").status_code == 302


def test_next_is_followed_only_when_local(app, client, nocsrf):
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "u3", "password": "pw123456", "role": "operator"})
        db.session.remove()
    evil = client.post(
        "/login", data={"username": "u3", "password": "pw123456", "next": "//evil.example/x"}
    )
    assert evil.headers["Location"] == "/operator"
    client.post("/logout")
    ok = client.post(
        "/login", data={"username": "u3", "password": "pw123456", "next": "/operator/knowledge"}
    )
    assert ok.headers["Location"] == "/operator/knowledge"


def test_logout_ends_the_session(signin):
    client = signin("operator")
    assert client.get("/operator").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/operator").status_code == 302


@pytest.mark.parametrize(
    ("role", "path"),
    [("agent", "/operator"), ("supervisor", "/operator"), ("operator", "/department"),
     ("supervisor", "/department"), ("agent", "/operator/knowledge")],
)  # fmt: skip
def test_other_roles_get_403(signin, role, path):
    client = signin(
        role,
        department=DEPT if role == "agent" else None,
        org_unit="510107" if role == "supervisor" else None,
    )
    response = client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_admin_opens_every_console(signin):
    client = signin("admin")
    for path in ("/operator", "/operator/follow-up", "/operator/knowledge", "/department"):
        assert client.get(path).status_code == 200, path


def test_inactive_user_cannot_sign_in(app, client, nocsrf):
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        user = create_user({"username": "gone", "password": "pw123456", "role": "operator"})
        user.active = False
        db.session.commit()
        db.session.remove()
    assert (
        client.post("/login", data={"username": "gone", "password": "pw123456"}).status_code == 401
    )
