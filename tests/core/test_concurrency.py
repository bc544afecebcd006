"""Concurrent work on PostgreSQL: no lost update on one ticket, no duplicate ticket number."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("HOTLINE_TEST_DB") != "postgresql", reason="runs on PostgreSQL"
    ),
]
DEPTS = ("510107005-urban_management", "510107-urban_management")


def test_two_dispatches_at_once_one_wins(app, client, new_ticket, staff):
    operator = staff("operator")
    for _ in range(8):
        number = new_ticket()
        barrier = threading.Barrier(2)

        def dispatch(
            department: str, number: str = number, barrier: threading.Barrier = barrier
        ) -> int:
            local = app.test_client()
            barrier.wait()
            body = {"action": "dispatch", "department": department}
            return local.post(
                f"/api/v1/tickets/{number}/actions", json=body, headers=operator
            ).status_code

        with ThreadPoolExecutor(2) as pool:
            codes = sorted(pool.map(dispatch, DEPTS))
        assert codes == [200, 409], codes
        ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
        dispatches = [e for e in ticket["events"] if e["action"] == "dispatch"]
        assert len(dispatches) == 1
        assert ticket["department"]["code"] == dispatches[0]["data"]["department"]


def test_numbers_stay_unique_under_load(app):
    def create(i: int) -> str:
        body = {"type": "help", "description": f"并发测试 {i}", "phone": "13812345678"}
        response = app.test_client().post("/api/v1/tickets", json=body)
        assert response.status_code == 201, response.json
        return response.json["number"]

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(create, range(40)))
    assert len(set(numbers)) == 40
    tails = sorted(int(n[-6:]) for n in numbers)
    assert tails == list(range(tails[0], tails[0] + 40))
