"""Flask extensions, created unbound here and bound to an app in ``init_app``."""

from __future__ import annotations

from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from hotline.core.replica import RoutingSession

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING)


# The session sends a marked read's SELECTs to the read replica, when there is one.
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """Turn on WAL and foreign keys for SQLite so web and worker can share the file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


class RedisStore:
    """Hold one lazily created Redis client per app; nothing connects at import time."""

    def init_app(self, app: Flask) -> None:
        """Bind to ``app``; the client is created on first use."""
        app.extensions["hotline_redis"] = None

    @property
    def client(self) -> Redis:
        """Return the app's Redis client, starting the embedded server when needed."""
        client = current_app.extensions.get("hotline_redis")
        if client is None:
            from hotline.core.redis_server import redis_url_for

            url = redis_url_for(current_app.config["HOTLINE"])
            client = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
            current_app.extensions["hotline_redis"] = client
        return client


redis_store = RedisStore()
