"""Bad input of every kind gives the spec's errors (400/403/404), never a 500."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.core.actors import SYSTEM
from hotline.core.extensions import db
from hotline.open311.operations import revoke_key

BASE = "/open311/v2"


def assert_errors(response: Any, status: int, word: str | None = None) -> None:
    assert response.status_code == status, response.data
    if response.content_type.startswith("text/xml"):
        root = ET.fromstring(response.data)
        assert root.tag == "errors" and root.findtext("error/code") == str(status)
        return
    body = response.json
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["code"] == status for e in body)
    if word:
        assert any(word in e["description"] for e in body), body


@pytest.mark.parametrize(
    ("fields", "status", "word"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "o311_deadbeef_nope"}, 403, "api_key"),
        ({"api_key": "whatever"}, 403, "api_key"),
        ({"service_code": "nope"}, 404, "nope"),
        ({"service_code": None}, 400, "service_code"),
        ({"jurisdiction_id": "nyc.gov"}, 404, "nyc.gov"),
        ({"lat": None, "long": None, "address_string": None}, 400, "location"),
        ({"lat": None}, 400, "lat"),
        ({"lat": "north"}, 400, "lat"),
        ({"lat": "91"}, 400, "lat"),
        ({"long": "nan"}, 400, "long"),
        ({"long": "1e400"}, 400, "long"),
        ({"description": "长" * 4001}, 400, "description"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"phone": "12345"}, 400, "phone"),
        ({"phone": None}, 400, "phone"),
        ({"first_name": "名" * 26}, 400, "first_name"),
        ({"surprise": "x"}, 400, "surprise"),
        ({"attribute[nope]": "x"}, 400, "attribute[nope]"),
        ({"description": "含\x00空字符"}, 400, "NUL"),
        ({"attribute[source]": "shop\x00", "service_code": "noise"}, 400, "NUL"),
    ],
)
def test_post_errors(post_request, fields, status, word):
    assert_errors(post_request(**fields), status, word)


@pytest.mark.parametrize(
    ("attributes", "word"),
    [
        ({}, "attribute[source]: required"),
        ({"attribute[source]": "volcano"}, "attribute[source]"),
        ({"attribute[source]": ["shop", "neighbour"]}, "one value"),
        ({"attribute[source]": "shop", "attribute[time_of_day][]": ["day", "dusk"]}, "dusk"),
    ],
)
def test_attribute_errors(post_request, attributes, word):
    assert_errors(post_request(service_code="noise", **attributes), 400, word)


@pytest.mark.parametrize(
    ("service", "attributes", "ok"),
    [
        ("water_outage", {"attribute[since]": "2026-11-20T08:00:00+08:00"}, True),
        ("water_outage", {"attribute[since]": "yesterday"}, False),
        ("water_outage", {"attribute[households]": "12.5"}, True),
        ("water_outage", {"attribute[households]": "many"}, False),
        ("water_outage", {"attribute[households]": "inf"}, False),
        ("food_safety", {"attribute[shop_name]": "某餐馆", "attribute[details]": "x" * 2000}, True),
        ("food_safety", {"attribute[shop_name]": "x" * 201}, False),
        ("food_safety", {"attribute[shop_name]": ""}, False),
        ("power_outage", {"attribute[scope]": "building"}, True),
    ],
)
def test_attribute_datatypes(post_request, service, attributes, ok):
    response = post_request(service_code=service, **attributes)
    assert response.status_code == (201 if ok else 400), response.json


def test_revoked_key_is_refused(app, post_request, api_key):
    assert post_request().status_code == 201
    with app.app_context():
        revoke_key(api_key.split("_")[1], SYSTEM)
        db.session.remove()
    assert_errors(post_request(), 403, "api_key")


def test_empty_optional_parameters_are_absent(post_request):
    response = post_request(
        email="", device_id="", jurisdiction_id="", media_url="", lat="", long=""
    )
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/requests/20000101-000001.json", 404),
        ("/requests/nope.xml", 404),
        ("/services/nope.json", 404),
        ("/tokens/nope.json", 404),
        ("/services.html", 404),
        ("/services", 404),
        ("/", 404),
        ("/requests.json?status=pending", 400),
        ("/requests.json?start_date=yesterday", 400),
        ("/requests.json?end_date=2026-13-01", 400),
        ("/requests.json?start_date=2026-02-01&end_date=2026-01-01", 400),
        ("/requests.json?start_date=0001-01-01T00:00:00%2B14:00", 400),
        ("/requests.json?service_request_id=" + ",".join(["1"] * 201), 400),
        ("/requests.json?jurisdiction_id=elsewhere", 404),
        ("/requests.json?color=red", 400),
        ("/services.json?page=2", 400),
        ("/requests/2026%00.json", 400),
        ("/requests.json?service_request_id=a%00b", 400),
        ("/tokens/%00.json", 400),
    ],
)
def test_get_errors(client, path, status):
    assert_errors(client.get(BASE + path), status)


def test_errors_in_xml(client):
    response = client.get(f"{BASE}/requests/nope.xml")
    assert response.status_code == 404
    root = ET.fromstring(response.data)
    assert root.tag == "errors"
    error = root.find("error")
    assert [c.tag for c in error] == ["code", "description"]
    assert error.findtext("code") == "404"
    bad = ET.fromstring(client.post(f"{BASE}/requests.xml", data={}).data)
    assert bad.findtext("error/code") == "403"


def test_wrong_method_is_not_a_500(client):
    for response in (client.delete(f"{BASE}/services.json"), client.put(f"{BASE}/requests.json")):
        assert response.status_code == 400
        assert "not allowed" in response.json[0]["description"]
    assert client.put(f"{BASE}/nothing.json").status_code == 404


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
NAMES = st.sampled_from(
    ["api_key", "service_code", "lat", "long", "address_string", "address_id", "email",
     "phone", "description", "media_url", "first_name", "jurisdiction_id", "status",
     "start_date", "end_date", "service_request_id", "attribute[source]",
     "attribute[time_of_day][]", "attribute[", "x"]
)  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    form=st.lists(st.tuples(NAMES, TEXT), max_size=8),
    use_key=st.booleans(),
    service=st.sampled_from(["noise", "litter", "water_outage", "", "??", "noise.json"]),
)
def test_random_posts_never_500(client, api_key, form, use_key, service):
    data = [("api_key", api_key)] if use_key else []
    data += [("service_code", service), *form]
    from werkzeug.datastructures import MultiDict

    response = client.post(f"{BASE}/requests.json", data=MultiDict(data))
    assert response.status_code in (201, 400, 403, 404), response.data
    assert isinstance(response.json, list)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(
        [
            "requests",
            "requests/x",
            "services",
            "services/noise",
            "tokens/t",
            "discovery",
            "nope",
            "requests/",
        ]
    ),  # fmt: skip
    tail=TEXT,
    fmt=st.sampled_from([".json", ".xml", "", ".txt"]),
    query=st.lists(st.tuples(NAMES, TEXT), max_size=5),
)
def test_random_gets_never_500(client, path, tail, fmt, query):
    from urllib.parse import quote

    url = f"{BASE}/{path}{quote(tail, safe='')}{fmt}"
    response = client.get(url, query_string=query)
    assert response.status_code in (200, 400, 403, 404), (url, query, response.data)
