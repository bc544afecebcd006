"""The two baselines of the intake benchmark, served by gunicorn exactly as the hotline is.

(a) ``json_app``: a bare Flask app answering ``POST /api/v1/tickets`` with a JSON 201.
(b) ``insert_app``: the same plus one psycopg INSERT and a commit per request.
"""

from __future__ import annotations

import os
import threading

import psycopg
from flask import Flask, jsonify, request

_local = threading.local()


def _connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = psycopg.connect(os.environ["BENCH_DATABASE_URL"])
        _local.conn = conn
    return conn


def json_app() -> Flask:
    """Return baseline (a): parse the JSON body, answer 201."""
    app = Flask("baseline_json")

    @app.post("/api/v1/tickets")
    def create():
        body = request.get_json()
        return jsonify({"number": "0", "type": body.get("type")}), 201

    return app


def insert_app() -> Flask:
    """Return baseline (b): parse the JSON body, INSERT one row, commit, answer 201."""
    app = Flask("baseline_insert")

    @app.post("/api/v1/tickets")
    def create():
        body = request.get_json()
        conn = _connection()
        row = conn.execute(
            "INSERT INTO bench_intake (type, description, phone) VALUES (%s, %s, %s) RETURNING id",
            (body.get("type"), body.get("description"), body.get("phone")),
        ).fetchone()
        conn.commit()
        return jsonify({"number": str(row[0]), "type": body.get("type")}), 201

    return app
