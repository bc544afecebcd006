"""Security headers on every page, cookie flags, and templates without inline script."""

from __future__ import annotations

import re
from pathlib import Path

from hotline import create_app
from tests.support.plugin import PASSWORD, make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "hotline" / "web" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


def _check(response, path: str) -> None:
    csp = _directives(response)
    assert csp["script-src"] == "'self'", path  # no inline script, no eval
    assert csp["style-src"] == "'self'", path  # no inline style either
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'", path
    assert response.headers["X-Frame-Options"] == "DENY", path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def test_every_page_and_the_api_carry_the_headers(app, client, nocsrf):
    for path in ("/", "/login", "/track", "/public", "/api/v1/openapi.json", "/healthz", "/nope"):
        response = client.get(path)
        _check(response, path)
        assert "Strict-Transport-Security" not in response.headers  # plain http here
    for role, console in (
        ("operator", "/operator"),
        ("supervisor", "/supervisor"),
        ("admin", "/admin"),
    ):
        staff = app.test_client()
        scope = {"org_unit": "510107"} if role == "supervisor" else {}
        username = make_user(app, role, **scope)
        staff.post("/login", data={"username": username, "password": PASSWORD})
        response = staff.get(console)
        assert response.status_code == 200, console
        _check(response, console)
        cookie = response.headers.get("Set-Cookie", "")
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_behind_https_cookies_are_secure_and_hsts_is_sent(app_env, app):
    https = create_app({**app_env, "HOTLINE_PUBLIC_URL": "https://12345.example.gov.cn"})
    https.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    client = https.test_client()
    username = make_user(app, "operator")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD},
        base_url="https://12345.example.gov.cn",
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/login", base_url="https://12345.example.gov.cn")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    lang = client.get("/lang/en", base_url="https://12345.example.gov.cn")
    assert "Secure" in lang.headers["Set-Cookie"] and "HttpOnly" in lang.headers["Set-Cookie"]


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            offenders += [f"{path.name}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
        if "javascript:" in text:
            offenders.append(f"{path.name}: javascript: URL")
    assert offenders == []


def test_vary_cookie_only_where_an_answer_may_be_cached(app, client):
    intake = client.post(
        "/api/v1/tickets",
        json={"type": "complaint", "description": "路灯坏了好几天", "phone": "13800000000"},
    )
    assert intake.status_code == 201, intake.json
    assert "Cookie" not in intake.headers.get("Vary", "")  # a resident's POST, no cookie
    page = app.test_client().get("/login")
    assert "Cookie" in page.headers.get("Vary", "")
