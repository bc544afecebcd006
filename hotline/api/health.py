"""GET /healthz: is the database up, is Redis up."""

from __future__ import annotations

from flask import Blueprint, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hotline.core.extensions import db, redis_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when both stores answer, 503 naming what is down."""
    status = {"database": "ok", "redis": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        status["database"] = "down"
    try:
        redis_store.client.ping()
    except (RedisError, OSError, RuntimeError):
        status["redis"] = "down"
    code = 200 if all(v == "ok" for v in status.values()) else 503
    return jsonify(status), code
