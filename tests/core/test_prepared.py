"""Intake's statement through libpq: placeholders, parameters, errors, lost prepared statements."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import psycopg
import pytest

from hotline.core import prepared
from hotline.core.extensions import db

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("HOTLINE_TEST_DB") != "postgresql", reason="runs on PostgreSQL"
    ),
]


def test_placeholders_become_numbered_parameters_once_each() -> None:
    found = prepared.statement("SELECT %(a)s::int + %(b)s::int, %(a)s::int, 'x%%'")
    assert found.sql == b"SELECT $1::int + $2::int, $1::int, 'x%'"
    assert found.order == ("a", "b")
    assert found.name.startswith(b"hotline_")


def test_values_come_back_as_postgresql_text(app: Any) -> None:
    with app.app_context():
        fairy = db.engine.raw_connection()
        try:
            row = prepared.fetch_one(
                fairy.driver_connection,
                "SELECT %(s)s::text, %(n)s::int, %(b)s::boolean, %(t)s::timestamp, %(z)s::text",
                {"s": "成都", "n": 7, "b": True, "t": datetime(2026, 11, 30, 8, 5), "z": None},
            )
        finally:
            fairy.close()
    assert row == ["成都".encode(), b"7", b"t", b"2026-11-30 08:05:00", None]


def test_an_error_is_psycopgs_and_a_lost_statement_is_prepared_again(app: Any) -> None:
    with app.app_context():
        fairy = db.engine.raw_connection()
        conn = fairy.driver_connection
        try:
            conn.autocommit = True
            with pytest.raises(psycopg.errors.DivisionByZero):
                prepared.fetch_one(conn, "SELECT 1 / %(n)s::int", {"n": 0})
            assert prepared.fetch_one(conn, "SELECT 1 / %(n)s::int", {"n": 1}) == [b"1"]
            # psycopg runs DEALLOCATE ALL after a DROP, an ALTER or a ROLLBACK of its own.
            conn.execute("DEALLOCATE ALL")
            assert prepared.fetch_one(conn, "SELECT 1 / %(n)s::int", {"n": 1}) == [b"1"]
            with pytest.raises(TypeError):
                prepared.fetch_one(conn, "SELECT %(x)s::text", {"x": object()})
        finally:
            conn.autocommit = False
            fairy.close()


def test_intake_goes_on_after_the_connections_statements_are_deallocated(
    app: Any, client: Any
) -> None:
    body = {"type": "complaint", "description": "路灯坏了好几天", "phone": "13800000301"}
    assert client.post("/api/v1/tickets", json=body).status_code == 201
    with app.app_context():
        fairy = db.engine.raw_connection()
        try:
            fairy.driver_connection.execute("DEALLOCATE ALL")
            fairy.driver_connection.commit()
        finally:
            fairy.close()
    for phone in ("13800000302", "13800000303"):
        answer = client.post("/api/v1/tickets", json=body | {"phone": phone})
        assert answer.status_code == 201, answer.get_json()


def _held_pid() -> int:
    from hotline.core import held

    return held._local.held.fairy.driver_connection.info.backend_pid


def test_a_thread_keeps_its_connection_and_replaces_one_that_died_while_idle(
    app: Any, client: Any
) -> None:
    from hotline.core import held

    body = {"type": "complaint", "description": "路灯坏了好几天", "phone": "13800000311"}
    assert client.post("/api/v1/tickets", json=body).status_code == 201
    first = _held_pid()
    assert client.post("/api/v1/tickets", json=body | {"phone": "13800000312"}).status_code == 201
    assert _held_pid() == first  # no checkout between intakes
    with app.app_context(), db.engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({first})")
    held._local.held.used -= 60  # it sat idle: the next intake pings it first
    assert client.post("/api/v1/tickets", json=body | {"phone": "13800000313"}).status_code == 201
    assert _held_pid() != first
