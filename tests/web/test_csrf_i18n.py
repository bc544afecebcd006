"""CSRF on every form (checking on, as in production) and the remembered language switch."""

from __future__ import annotations

import re

from tests.support.plugin import DEPT


def token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_forms_without_token_are_refused(app, client, new_ticket):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    write = client.post(
        "/", data={"type": "complaint", "description": "占道", "phone": "13812345678"}
    )
    assert write.status_code == 400
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 400
    assert (
        client.post("/track", data={"number": "20260101-000001", "phone": "1"}).status_code == 400
    )
    number = new_ticket()  # the JSON API is exempt: it carries bearer tokens
    assert client.post(f"/tickets/{number}/act", data={"action": "note"}).status_code == 400


def test_forms_with_token_work(app, client):
    from hotline.core.extensions import db
    from hotline.users.operations import create_user

    with app.app_context():
        create_user({"username": "ag", "password": "pw123456", "role": "agent", "department": DEPT})
        db.session.remove()
    login = client.get("/login")
    response = client.post(
        "/login", data={"username": "ag", "password": "pw123456", "csrf_token": token(login.text)}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/department"
    page = client.get("/department")
    assert client.post("/logout").status_code == 400  # the token is needed to sign out too
    assert client.post("/logout", data={"csrf_token": token(page.text)}).status_code == 302
    form = client.get("/")
    written = client.post(
        "/",
        data={"type": "complaint", "description": "玉林北路占道经营", "phone": "13812345678",
              "csrf_token": token(form.text)},
    )  # fmt: skip
    assert written.status_code == 303


def test_api_and_webhooks_stay_exempt(client):
    created = client.post(
        "/api/v1/tickets",
        json={"type": "complaint", "description": "占道经营", "phone": "13812345678"},
    )
    assert created.status_code == 201
    # Webhooks answer on their own signature checks, never with a CSRF 400 page.
    hook = client.post("/twilio/sms", data={"From": "+8613812345678", "Body": "hi"})
    assert b"CSRF" not in hook.data


def test_chinese_by_default_english_by_switch(client):
    page = client.get("/")
    assert '<html lang="zh-CN">' in page.text and "提交诉求" in page.text
    switched = client.get("/lang/en?next=/track")
    assert switched.status_code == 302 and switched.headers["Location"] == "/track"
    assert "hotline_lang=en" in switched.headers["Set-Cookie"]
    page = client.get("/")  # remembered by the cookie
    assert '<html lang="en">' in page.text
    assert "Submit" in page.text and "提交诉求" not in page.text
    assert "Track" in client.get("/track").text
    client.get("/lang/zh_CN")
    assert "提交诉求" in client.get("/").text


def test_switch_ignores_unknown_languages_and_foreign_targets(client):
    response = client.get("/lang/xx?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers
    assert '<html lang="zh-CN">' in client.get("/").text


def test_times_are_shown_in_shanghai(app):
    from datetime import datetime

    from hotline.web.i18n import localtime

    with app.app_context():
        assert localtime(datetime(2026, 1, 1, 16, 30)) == "2026-01-02 00:30"
        assert localtime(None) == ""


def test_catalogues_are_complete_and_compiled():
    """Every source string has English, and the committed .mo matches its .po."""
    import gettext
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "hotline" / "translations"
    # Keyed by (context, msgid): a status word and an action word may share a msgid.
    with open(root / "messages.pot", "rb") as f:
        template = {(m.context, m.id) for m in read_po(f) if m.id}
    with open(root / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        english = {(m.context, m.id): m.string for m in read_po(f) if m.id}
    assert template <= set(english), sorted(template - set(english), key=str)[:5]
    assert not [k for k, v in english.items() if not v]
    with open(root / "en" / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)

    def lookup(context: str | None, msgid: str) -> str:
        return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)

    stale = [k for k, v in english.items() if isinstance(k[1], str) and lookup(k[0], k[1]) != v]
    assert not stale, f"run scripts/i18n compile: {stale[:3]}"
    assert (root / "zh_CN" / "LC_MESSAGES" / "messages.mo").exists()
