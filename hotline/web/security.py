"""Security headers and cookie flags on every response, through flask-talisman.

The Content-Security-Policy allows scripts from this site only (no inline script, no eval),
and no framing; HSTS on every HTTPS response, and Secure cookies once the hotline is served
over HTTPS (an https HOTLINE_PUBLIC_URL). Styles may still be inline (a few style attributes in the templates).
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_talisman import Talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

talisman = Talisman()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for requests with no cookie.

    Residents' API calls (intake, tracking) carry no session cookie; Flask would still make a
    serializer for each of them before finding there is nothing to read.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return an empty session when there is no cookie (and a key), else Flask's."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Add the headers and set the cookie flags for ``app``."""
    app.session_interface = SessionInterface()
    https = app.config["HOTLINE"].https
    talisman.init_app(
        app,
        # Redirecting to https is the reverse proxy's job; the app behind it may be plain http.
        force_https=False,
        # Sent only on HTTPS requests (directly or through a trusted proxy's X-Forwarded-Proto);
        # browsers ignore it over plain http anyway.
        strict_transport_security=True,
        strict_transport_security_max_age=365 * 24 * 3600,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=https,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )
