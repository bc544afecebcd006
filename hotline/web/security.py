"""Security headers and cookie flags on every response, through flask-talisman.

The Content-Security-Policy allows scripts from this site only (no inline script, no eval),
and no framing; HSTS on every HTTPS response, and Secure cookies once the hotline is served
over HTTPS (an https HOTLINE_PUBLIC_URL). Styles may still be inline (a few style attributes in the templates).
"""

from __future__ import annotations

from flask import Flask
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


def init_app(app: Flask) -> None:
    """Add the headers and set the cookie flags for ``app``."""
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
