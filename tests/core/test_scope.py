"""Who sees and acts on which ticket: agents their department, supervisors their unit and below."""

from __future__ import annotations

import pytest

YULIN_DEPT = "510107005-urban_management"  # 武侯区 玉林街道 执法队
JINJIANG_DEPT = "510104-water"  # 锦江区水务局

# (who, sees Yulin ticket, sees Jinjiang ticket)
READ_TABLE = [
    ({"role": "operator"}, True, True),
    ({"role": "admin"}, True, True),
    ({"role": "agent", "department": YULIN_DEPT}, True, False),
    ({"role": "agent", "department": JINJIANG_DEPT}, False, True),
    ({"role": "supervisor", "org_unit": "5101"}, True, True),
    ({"role": "supervisor", "org_unit": "510107"}, True, False),
    ({"role": "supervisor", "org_unit": "510107005"}, True, False),
    ({"role": "supervisor", "org_unit": "510104"}, False, True),
    ({"role": "supervisor", "org_unit": "510107005001"}, False, False),
]


@pytest.fixture
def two_tickets(client, new_ticket, staff):
    operator = staff("operator")
    yulin = new_ticket()
    jinjiang = new_ticket(description="锦江区春熙路停水", community_code=None, phone="13987654321")
    for number, dept in ((yulin, YULIN_DEPT), (jinjiang, JINJIANG_DEPT)):
        response = client.post(
            f"/api/v1/tickets/{number}/actions",
            json={"action": "dispatch", "department": dept},
            headers=operator,
        )
        assert response.status_code == 200
    return yulin, jinjiang


@pytest.mark.parametrize(("who", "sees_yulin", "sees_jinjiang"), READ_TABLE)
def test_read_scope(client, staff, two_tickets, who, sees_yulin, sees_jinjiang):
    headers = staff(**who)
    yulin, jinjiang = two_tickets
    for number, visible in ((yulin, sees_yulin), (jinjiang, sees_jinjiang)):
        response = client.get(f"/api/v1/tickets/{number}", headers=headers)
        assert response.status_code == (200 if visible else 404), (who, number)
    listed = {
        t["number"]
        for t in client.get("/api/v1/tickets?per_page=200", headers=headers).json["items"]
    }
    assert (yulin in listed) is sees_yulin
    assert (jinjiang in listed) is sees_jinjiang


@pytest.mark.parametrize(("who", "sees_yulin", "sees_jinjiang"), READ_TABLE)
def test_write_scope(client, staff, two_tickets, who, sees_yulin, sees_jinjiang):
    headers = staff(**who)
    admin = staff("admin")
    for number, visible in zip(two_tickets, (sees_yulin, sees_jinjiang), strict=True):
        before = client.get(f"/api/v1/tickets/{number}", headers=admin).json["version"]
        response = client.post(
            f"/api/v1/tickets/{number}/actions",
            json={"action": "note", "text": "记录"},
            headers=headers,
        )
        if visible:
            assert response.status_code == 200
        else:
            assert response.status_code == 403
            assert client.get(f"/api/v1/tickets/{number}", headers=admin).json["version"] == before


def test_phone_is_masked_except_for_operators_and_the_department(client, staff, two_tickets):
    yulin, _ = two_tickets
    seen = {}
    for label, who in (
        ("operator", {"role": "operator"}),
        ("own agent", {"role": "agent", "department": YULIN_DEPT}),
        ("supervisor", {"role": "supervisor", "org_unit": "510107"}),
    ):
        seen[label] = client.get(f"/api/v1/tickets/{yulin}", headers=staff(**who)).json["phone"]
    assert seen["operator"] == seen["own agent"] == "13812345678"
    assert seen["supervisor"] == "138****5678"


def test_requests_without_a_valid_token(client, two_tickets):
    yulin, _ = two_tickets
    assert client.get(f"/api/v1/tickets/{yulin}").status_code == 401
    assert (
        client.get("/api/v1/tickets", headers={"Authorization": "Bearer forged"}).status_code == 401
    )
    bad_login = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert bad_login.status_code == 401 and bad_login.json["error"]["code"] == "unauthorized"
