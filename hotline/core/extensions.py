"""Flask extensions, created unbound here and bound to an app in ``init_app``."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

from hotline.core.replica import RoutingSession


def rows_where(condition: str) -> dict[str, Any]:
    """Return an Index's options holding entries only for the rows where ``condition`` holds.

    The same partial index on PostgreSQL and SQLite, so the models and migrations agree on both.
    """
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}


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
def _session_settings(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """Set up each new connection: SQLite's WAL and foreign keys, PostgreSQL's JIT off."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        # JIT compiles for tens of milliseconds whenever the planner expects a big result;
        # the hotline's queries are short, and its open-work counts are expected small but
        # large in fact, or the reverse: on a city's year JIT added 50-150 ms to many pages.
        # Committed, or the pool's first rollback would undo it.
        from psycopg.errors import UndefinedObject

        try:
            dbapi_connection.execute("SET jit = off")
        except UndefinedObject:  # a server without JIT (before PostgreSQL 11)
            dbapi_connection.rollback()
        else:
            dbapi_connection.commit()
    elif type(dbapi_connection).__module__.startswith("sqlite3"):
        # WAL and foreign keys, so web and worker can share the file.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


# A pooled connection back from work less than this long ago is handed out without a ping.
PING_IDLE_SECONDS = 2.0


@event.listens_for(Pool, "checkin")
def _checked_in(dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["hotline_idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Ping a PostgreSQL connection that sat idle (the server may have gone) before handing it out.

    Instead of SQLAlchemy's pool_pre_ping, which pings on every checkout: every request of a
    busy worker would pay a round trip for a connection it used a millisecond ago. A failed
    ping makes the pool replace the connection; a server that restarts under load fails the
    statements of connections already out once, and the pool is then recycled as a whole.
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    if getattr(getattr(proxy, "_pool", None), "_pre_ping", False):
        return  # this pool pings every checkout itself (the replica's)
    since = record.info.get("hotline_idle_since")
    if since is not None and time.monotonic() - since < PING_IDLE_SECONDS:
        return
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # no transaction left open by the ping
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.autocommit = autocommit
    except Exception as exc:
        raise DisconnectionError(f"the pooled connection is gone: {exc}") from exc


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
