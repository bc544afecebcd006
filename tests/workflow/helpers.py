"""Shared steps of the accountability workflow tests (issue 16), all through the HTTP API."""

from __future__ import annotations

LEAD = "510107005-urban_management"
ASSIST = "510107005-general"
OTHER = "510107-urban_management"
PHONE = "13812345678"


def act(client, number, headers, expect=200, **body):
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == expect, (body, response.json)
    return response.json


def get(client, number, headers):
    response = client.get(f"/api/v1/tickets/{number}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def part(ticket, department):
    return next(p for p in ticket["parts"] if p["department"] == department)
