"""Security headers and cookie flags on every response.

The Content-Security-Policy allows scripts from this site only (no inline script, no eval),
and no framing; HSTS on every HTTPS response, and Secure cookies once the hotline is served
over HTTPS (an https HOTLINE_PUBLIC_URL). Styles come from the site's stylesheet only: no inline
style attribute (a colour from the data is an SVG fill or one of a few classes).
The headers are the same for every response (a view's own header of the same name wins), so
they are written once at start-up: building them per response (as flask-talisman did, in
three hooks) cost intake about 5% of its CPU.
"""

from __future__ import annotations

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HEADERS = (
    # Opt out of the browser's interest-based advertising topics.
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "; ".join(f"{k} {v}" for k, v in CSP.items())),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
# (lower-case name, name, value): a response's header names are compared case-insensitively.
_SITE_HEADERS = tuple((name.lower(), name, value) for name, value in HEADERS)
HSTS = ("Strict-Transport-Security", f"max-age={365 * 24 * 3600}")


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

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Skip Flask's cookie settings look-ups when there is nothing to write or delete.

        ``Vary: Cookie`` tells caches that an answer read the session; only answers to GET and
        HEAD are ever cached, and Flask-Login reads it on every request (a resident's intake).
        """
        if not session and not session.modified:
            if session.accessed and request.method in ("GET", "HEAD"):
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Add the headers and set the cookie flags for ``app``."""
    app.session_interface = SessionInterface()
    app.config["SESSION_COOKIE_SECURE"] = app.config["HOTLINE"].https
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    """Add the security headers a view did not set itself; HSTS only over HTTPS.

    A view's own header wins: a stored file is served with ``Content-Security-Policy:
    sandbox``, which the site's policy (scripts from 'self') must not replace.
    """
    headers = response.headers
    present = {key.lower() for key, _value in headers}
    for lower, name, value in _SITE_HEADERS:
        if lower not in present:
            headers.add(name, value)
    # Browsers ignore HSTS over plain http; redirecting to https is the reverse proxy's job.
    if request.is_secure or request.headers.get("X-Forwarded-Proto") == "https":
        headers[HSTS[0]] = HSTS[1]
    return response
