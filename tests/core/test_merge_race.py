"""Merges: two operators merging two tickets into each other at once never make a cycle."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


def _merge(app, headers, number: str, into: str, barrier: threading.Barrier) -> int:
    local = app.test_client()
    barrier.wait()
    body = {"action": "merge", "into": into}
    return local.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers).status_code


def test_merging_into_each_other_at_once_never_makes_a_cycle(app, client, new_ticket, staff):
    operator = staff("operator")
    for _ in range(10):
        a, b = new_ticket(), new_ticket()
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            codes = sorted(
                pool.map(_merge, [app] * 2, [operator] * 2, (a, b), (b, a), [barrier] * 2)
            )
        assert codes == [200, 409], codes
        tickets = [client.get(f"/api/v1/tickets/{n}", headers=operator).json for n in (a, b)]
        statuses = sorted(t["status"] for t in tickets)
        assert statuses == ["merged", "received"], statuses
        merged = next(t for t in tickets if t["status"] == "merged")
        kept = next(t for t in tickets if t["status"] == "received")
        assert merged["merged_into"] == kept["number"] and kept["merged_into"] is None


def test_merging_into_a_merged_ticket_follows_to_the_root(client, new_ticket, staff):
    operator = staff("operator")
    a, b, c = new_ticket(), new_ticket(), new_ticket()
    url = "/api/v1/tickets/{}/actions"
    assert (
        client.post(
            url.format(b), json={"action": "merge", "into": c}, headers=operator
        ).status_code
        == 200
    )
    response = client.post(url.format(a), json={"action": "merge", "into": b}, headers=operator)
    assert response.status_code == 200, response.json
    assert client.get(f"/api/v1/tickets/{a}", headers=operator).json["merged_into"] == c
    # Merging the root into a ticket merged into it would close a loop: refused.
    response = client.post(url.format(c), json={"action": "merge", "into": b}, headers=operator)
    assert response.status_code == 409
    assert response.json["error"]["fields"]["into"]
    assert client.get(f"/api/v1/tickets/{c}", headers=operator).json["status"] == "received"
