"""The 12345 hotline: intake, routing, deadlines and escalation for a city's citizen hotline."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from hotline.core.application import Hotline
from hotline.core.config import load_settings


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``overrides`` replaces environment variables (tests use it)."""
    environ = {**os.environ, **(overrides or {})}
    settings = load_settings(environ)
    app = Hotline(__name__, instance_path=str(settings.instance_path))
    app.config.from_mapping(settings.flask_config())
    settings.instance_path.mkdir(parents=True, exist_ok=True)

    import hotline.models  # noqa: F401  (the whole schema, for Alembic and create_all)
    from hotline import assessment, web
    from hotline.api import errors, guards, jsonout, limits
    from hotline.blueprints import register_blueprints
    from hotline.calendar import deadlines
    from hotline.core import extensions
    from hotline.routing import service as routing_service
    from hotline.sla import schedule as sla_schedule

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=settings_dir(), compare_type=True)
    extensions.redis_store.init_app(app)
    jsonout.init_app(app)
    errors.init_app(app)
    limits.init_app(app)  # before the guards: they read the body
    guards.init_app(app)
    deadlines.init_app(app)
    from hotline.search import hooks
    from hotline.search.index import init_search_index

    init_search_index()
    hooks.install(app)
    routing_service.init_app(app)
    assessment.init_app(app)
    sla_schedule.init_app(app)
    register_blueprints(app)
    web.init_app(app)
    from hotline import replica_reads
    from hotline.core import replica

    replica.init_app(app)
    replica_reads.init_app(app)  # after every blueprint: it wraps some of their views
    from hotline.commands import register_commands

    register_commands(app)
    from hotline import logmask

    logmask.install(app.logger)
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    _dispose_engine_after_fork(app)
    return app


def settings_dir() -> str:
    """Return the migrations folder at the repository root."""
    from hotline.core.config import REPO_ROOT

    return str(REPO_ROOT / "migrations")


def _dispose_engine_after_fork(app: Flask) -> None:
    """Give forked RQ work horses their own database connections, never the parent's."""

    def _after_fork() -> None:
        from hotline.core.extensions import db

        # Forget (never close) the parent's session and pooled connections: closing them here
        # would end the parent's database sessions too.
        db.session.registry.clear()
        with app.app_context():
            db.engine.dispose(close=False)

    os.register_at_fork(after_in_child=_after_fork)
