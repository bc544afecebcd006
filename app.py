"""WSGI entry point: ``flask --app app run`` or ``gunicorn 'app:create_app()'``."""

from hotline import create_app

__all__ = ["create_app"]
