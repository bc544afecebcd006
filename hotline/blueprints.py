"""Every blueprint of the app, registered in one place."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach the API (and, where installed, web and webhook) blueprints."""
    from hotline import openapi
    from hotline.api import health
    from hotline.open311 import views as open311_views
    from hotline.org import views as org_views
    from hotline.sla import views as sla_views
    from hotline.stats import views as stats_views
    from hotline.tickets import views as ticket_views
    from hotline.twilio import views as twilio_views
    from hotline.users import views as user_views

    for bp in (health.bp, openapi.bp, org_views.bp, ticket_views.bp, user_views.bp):
        app.register_blueprint(bp)
    app.register_blueprint(twilio_views.bp)
    app.register_blueprint(open311_views.bp)
    app.register_blueprint(sla_views.bp)
    app.register_blueprint(stats_views.bp)
