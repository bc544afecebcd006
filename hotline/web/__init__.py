"""The server-rendered web: resident portal, staff sign-in and the consoles.

Conventions for every web page (part of the public contract of this package):
- templates extend ``base.html`` and fill ``title`` and ``content`` (optionally ``head``,
  ``scripts`` and ``wide`` = true for full-width staff pages);
- user-facing strings are Chinese source strings wrapped in ``_()``; English lives in
  hotline/translations/en (run ``scripts/i18n``);
- staff views use ``hotline.web.auth.role_required(...)`` and ``current_actor()``;
- forms carry ``{{ csrf_field() }}``; writes go through an operation, then flash and redirect.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from jinja2 import ChoiceLoader, FileSystemLoader

from hotline.channels import exempt_prefixes
from hotline.core.extensions import csrf

HERE = Path(__file__).resolve().parent


def init_app(app: Flask) -> None:
    """Wire sign-in, CSRF, translations and the web blueprints into ``app``."""
    from hotline.web import auth, department, errors, i18n, labels, operator, portal, tickets

    # Every web blueprint (ours and the supervisor/admin pages) renders from web/templates.
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")), app.jinja_loader])  # type: ignore[list-item]
    app.static_folder = str(HERE / "static")
    if "static" not in app.view_functions:
        app.add_url_rule(f"{app.static_url_path}/<path:filename>", "static", app.send_static_file)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # CSRFProtect checks nothing by itself; _protect below decides which requests need it.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)

    @app.before_request
    def _protect() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        # Bearer-token APIs and signed webhooks carry their own proof; forms need the token.
        if request.path.startswith(exempt_prefixes(app)):
            return
        if app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()

    auth.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    labels.init_app(app)
    for module in (auth, portal, operator, department, tickets):
        app.register_blueprint(module.bp)
    from hotline.web import accountability, admin, public, supervisor

    for module in (supervisor, accountability, admin, public):
        app.register_blueprint(module.bp)
    from hotline.web import search

    app.register_blueprint(search.bp)
