"""PostgreSQL session settings: JIT off on every connection; the open work's GROUP BY hashed."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import func, select, text

from hotline.core.extensions import db
from hotline.core.planner import grouped_rows
from hotline.tickets.models import Ticket

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("HOTLINE_TEST_DB") != "postgresql", reason="runs on PostgreSQL"
    ),
]


def test_every_connection_runs_without_jit_even_after_a_rollback(app: Any) -> None:
    with app.app_context():
        assert db.session.scalar(text("SHOW jit")) == "off"
        db.session.rollback()  # the pool's reset on return must not bring JIT back
        db.session.remove()
        assert db.session.scalar(text("SHOW jit")) == "off"


def test_grouping_hashes_then_gives_the_planner_its_sorts_back(app: Any) -> None:
    with app.app_context():
        stmt = select(Ticket.status, func.count()).group_by(Ticket.status)
        assert grouped_rows(stmt) == []
        # The setting is back to the session's own value for the rest of the transaction.
        assert db.session.scalar(text("SHOW enable_sort")) == "on"
        db.session.execute(text("SET enable_sort = off"))  # the session's own choice...
        grouped_rows(stmt)
        assert db.session.scalar(text("SHOW enable_sort")) == "off"  # ...is kept
        db.session.execute(text("RESET enable_sort"))
        db.session.commit()


def test_the_statement_itself_runs_with_sorting_off(app: Any) -> None:
    with app.app_context():
        assert grouped_rows(select(func.current_setting("enable_sort"))) == [("off",)]
        assert db.session.scalar(text("SHOW enable_sort")) == "on"
