"""Filing, listing, showing and following Open311 requests; the ticket's whole life."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from hotline.core.extensions import db
from hotline.open311.models import ApiKey, Open311Request
from hotline.tickets.models import Ticket

BASE = "/open311/v2"
FALLBACK_DEPT = "510107005-urban_management"
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
]  # fmt: skip


def act(client, number, headers, **body):
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == 200, (body, response.json)
    return response.json


def test_file_route_dispatch_resolve_then_closed(client, post_request, staff, schemas, app):
    created = post_request()
    assert created.status_code == 201, created.json
    (receipt,) = created.json
    number = receipt["service_request_id"]
    assert receipt["service_notice"] and number in receipt["service_notice"]
    assert receipt["token"]

    operator = staff("operator")
    ticket = client.get(f"/api/v1/tickets/{number}", headers=operator).json
    assert ticket["channel"] == "open311" and ticket["type"] == "complaint"
    assert ticket["description"].startswith("【占道经营】玉林北路12号")
    assert ticket["events"][0]["actor"] == "open311:测试应用"
    proposed = ((ticket["routing"] or {}).get("department") or {}).get("code")
    if app.extensions.get("hotline_router") is not None:
        # The service name carries the router's words: street vending → urban management.
        assert proposed and proposed.endswith("urban_management"), ticket["routing"]
    department = proposed or FALLBACK_DEPT

    shown = client.get(f"{BASE}/requests/{number}.json")
    schemas["requests"].validate(shown.json)
    (item,) = shown.json
    assert item["status"] == "open" and item["status_notes"] is None
    assert item["description"] == "玉林北路12号门口有人占道经营，堵住人行道"
    assert item["service_name"] == "占道经营" and item["service_code"] == "street_vendor"
    assert item["lat"] == 30.6453 and item["long"] == 104.0462
    assert item["media_url"] == "https://img.example.com/a.jpg"
    assert item["requested_datetime"].endswith("+08:00")
    assert item["expected_datetime"] is None

    agent = staff("agent", department=department)
    act(client, number, operator, action="dispatch", department=department)
    act(client, number, agent, action="sign")
    accepted = client.get(f"{BASE}/requests/{number}.json").json[0]
    assert accepted["status"] == "open"
    assert accepted["expected_datetime"].endswith("+08:00")
    resolved = act(client, number, agent, action="resolve", reply="已清理占道摊点，恢复通行")

    (done,) = client.get(f"{BASE}/requests/{number}.json").json
    schemas["request"].validate(done)
    assert done["status"] == "closed"
    assert done["status_notes"] == "已清理占道摊点，恢复通行"
    assert done["agency_responsible"] == resolved["department"]["name"]
    assert done["updated_datetime"] == resolved["updated_at"]
    root = ET.fromstring(client.get(f"{BASE}/requests/{number}.xml").data)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == REQUEST_FIELDS
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "已清理占道摊点，恢复通行"
    closed = client.get(f"{BASE}/requests.json?status=closed").json
    assert [r["service_request_id"] for r in closed] == [number]
    assert client.get(f"{BASE}/requests.json?status=open").json == []


def test_post_stores_everything(client, post_request, ctx):
    response = post_request(
        service_code="noise",
        **{"attribute[source]": "square_dance", "attribute[time_of_day][]": "night"},
        device_id="dev-1",
        account_id="acc-9",
        address_id="A-77",
        lat=None,
        long=None,
    )
    assert response.status_code == 201, response.json
    assert response.json[0]["account_id"] == "acc-9"
    number = response.json[0]["service_request_id"]
    ticket = db.session.query(Ticket).filter_by(number=number).one()
    assert ticket.phone == "13812345678" and ticket.email == "wang@example.com"
    assert ticket.name == "王小明" and ticket.service_code == "noise"
    assert ticket.latitude is None and ticket.address == "武侯区玉林街道玉林北路12号"
    assert "噪音来源：广场舞" in ticket.description and "夜间(22时后)" in ticket.description
    row = db.session.query(Open311Request).filter_by(ticket_id=ticket.id).one()
    assert row.attributes == {"source": "square_dance", "time_of_day": ["night"]}
    assert (row.device_id, row.account_id, row.address_id) == ("dev-1", "acc-9", "A-77")
    assert db.session.get(ApiKey, row.api_key_id).last_used_at is not None


def test_post_xml_and_token(client, post_request):
    response = post_request("xml", service_code="litter", description="", phone="028-85551234")
    assert response.status_code == 201
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.data)
    assert root.tag == "service_requests"
    request = root.find("request")
    number, token = request.findtext("service_request_id"), request.findtext("token")
    assert [c.tag for c in request] == [
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    ]
    looked_up = client.get(f"{BASE}/tokens/{token}.json").json
    assert looked_up == [{"service_request_id": number, "token": token}]
    token_xml = ET.fromstring(client.get(f"{BASE}/tokens/{token}.xml").data)
    assert token_xml.find("request/service_request_id").text == number
    # No description from the resident: none is shown (the ticket itself carries the service).
    assert client.get(f"{BASE}/requests/{number}.json").json[0]["description"] is None
    # The official swagger's singular path answers too.
    assert client.get(f"{BASE}/request/{number}.json").json[0]["service_request_id"] == number


def test_list_filters(client, post_request, new_ticket, schemas, ctx):
    numbers = {}
    for code in ("street_vendor", "litter", "noise"):
        extra = {"attribute[source]": "shop"} if code == "noise" else {}
        response = post_request(service_code=code, **extra)
        numbers[code] = response.json[0]["service_request_id"]
    new_ticket()  # a phone/web ticket: not an Open311 request
    # Age one request beyond the 90-day default window.
    old = db.session.query(Ticket).filter_by(number=numbers["litter"]).one()
    old.created_at = old.created_at - timedelta(days=120)
    db.session.commit()

    def ids(query):
        response = client.get(f"{BASE}/requests.json{query}")
        assert response.status_code == 200, response.json
        schemas["requests"].validate(response.json)
        return {r["service_request_id"] for r in response.json}

    assert ids("") == {numbers["street_vendor"], numbers["noise"]}
    assert ids("?service_code=noise,litter") == {numbers["noise"]}
    assert ids("?service_code=&status=") == {numbers["street_vendor"], numbers["noise"]}
    assert ids("?status=open") == {numbers["street_vendor"], numbers["noise"]}
    assert ids("?status=closed") == set()
    # Repeated filters count, as the spec allows ("declared multiple times").
    assert ids("?service_code=noise&service_code=street_vendor") == {
        numbers["street_vendor"],
        numbers["noise"],
    }
    assert ids("?status=open&status=closed") == {numbers["street_vendor"], numbers["noise"]}
    # A start alone covers at most 90 days from it; a future start finds nothing.
    start = (datetime.now() - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    assert ids(f"?start_date={start}") == {numbers["litter"]}
    assert ids("?start_date=2099-01-01T00:00:00Z") == set()
    # A range may not span more than 90 days.
    wide = client.get(
        f"{BASE}/requests.json?start_date={start.replace('+', '%2B')}&end_date=2099-01-01T00:00:00Z"
    )
    assert wide.status_code == 400 and "90 days" in wide.json[0]["description"]
    old_end = (datetime.now() - timedelta(days=100)).isoformat()
    assert ids(f"?end_date={old_end}") == {numbers["litter"]}
    # service_request_id overrides every other filter, the default window included.
    both = f"{numbers['litter']},{numbers['noise']}"
    assert ids(f"?service_request_id={both}&status=closed") == {
        numbers["litter"],
        numbers["noise"],
    }
    assert ids("?service_request_id=20000101-000001") == set()


def test_list_caps_at_1000(client, ctx):
    from hotline.open311.operations import MAX_RESULTS, find_requests

    now = datetime(2026, 1, 5, 12)
    tickets = [
        Ticket(
            number=f"20260105-{i:06d}",
            type="help",
            status="received",
            channel="open311",
            description="路灯不亮",
            phone="13812345678",
            service_code="street_light",
            scope_code="5101",
            created_at=now - timedelta(minutes=i),
            updated_at=now,
        )
        for i in range(MAX_RESULTS + 5)
    ]
    db.session.add_all(tickets)
    db.session.commit()
    found = find_requests(now=now)
    assert len(found) == MAX_RESULTS
    assert found[0][0].number == "20260105-000000"  # newest first
