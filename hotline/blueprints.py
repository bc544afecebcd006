"""Every blueprint of the app, registered in one place; the channels are plug-ins."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from hotline.channels import install

# The installed channels: a new one is a package with a channel.py and one line here.
CHANNELS = ("hotline.twilio.channel", "hotline.open311.channel", "hotline.interop.channel")


def register_blueprints(app: Flask) -> None:
    """Attach the API (and, where installed, web and webhook) blueprints."""
    from hotline import openapi
    from hotline.api import health
    from hotline.assessment import views as assessment_views
    from hotline.early_warning import views as early_warning_views
    from hotline.org import views as org_views
    from hotline.sla import views as sla_views
    from hotline.stats import views as stats_views
    from hotline.tickets import views as ticket_views
    from hotline.topics import views as topic_views
    from hotline.users import views as user_views

    for bp in (health.bp, openapi.bp, org_views.bp, ticket_views.bp, user_views.bp):
        app.register_blueprint(bp)
    app.register_blueprint(sla_views.bp)
    app.register_blueprint(stats_views.bp)
    from hotline.attachments import views as attachment_views
    from hotline.search import views as search_views

    app.register_blueprint(search_views.bp)
    app.register_blueprint(attachment_views.bp)
    from hotline.live import cache as live_cache
    from hotline.live import views as live_views

    app.register_blueprint(live_views.bp)
    live_cache.init_app(app)
    app.register_blueprint(assessment_views.bp)
    app.register_blueprint(early_warning_views.bp)
    app.register_blueprint(topic_views.bp)
    for name in CHANNELS:
        install(app, import_module(name).CHANNEL)
