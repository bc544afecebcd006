"""Discovery, services and service definitions in JSON (schema-checked) and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hotline.open311.catalogue import catalogue, parse

BASE = "/open311/v2"


def test_catalogue_file_is_complete():
    services = catalogue()
    assert len(services) >= 20
    for code in ("noise", "illegal_parking", "street_vendor", "litter", "water_outage",
                 "power_outage", "road_damage", "property_management", "food_safety",
                 "wage_arrears", "stray_animals"):  # fmt: skip
        assert code in services
    assert any(s.attributes for s in services.values())
    datatypes = {a.datatype for s in services.values() for a in s.attributes}
    assert datatypes == {"string", "number", "datetime", "text", "singlevaluelist",
                         "multivaluelist"}  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        {"services": [{"code": "x", "name": "X", "type": "nope", "function": "water"}]},
        {"services": [{"code": "x", "name": "X", "type": "help", "function": "nope"}]},
        {"services": [{"code": "x", "name": "X", "type": "help", "function": "water"}] * 2},
        {
            "services": [
                {
                    "code": "x",
                    "name": "X",
                    "type": "help",
                    "function": "water",
                    "attributes": [
                        {"code": "a", "description": "A", "datatype": "singlevaluelist"}
                    ],
                }
            ]
        },  # fmt: skip
    ],
)
def test_catalogue_refuses_bad_entries(bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_services_json(client, schemas):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    body = response.json
    schemas["services"].validate(body)
    noise = next(s for s in body if s["service_code"] == "noise")
    assert noise == {
        "service_code": "noise",
        "service_name": "噪音扰民",
        "description": "施工、商铺、广场舞等噪音扰民",
        "metadata": True,
        "type": "realtime",
        "keywords": "噪音,扰民,noise",
        "group": "环境",
    }
    assert next(s for s in body if s["service_code"] == "litter")["metadata"] is False


def test_services_xml(client):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200
    assert response.content_type.startswith("text/xml")
    root = ET.fromstring(response.data)
    assert root.tag == "services"
    first = root.find("service")
    assert [c.tag for c in first] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]  # fmt: skip
    assert len(root.findall("service")) == len(catalogue())
    noise = next(s for s in root if s.findtext("service_code") == "noise")
    assert noise.findtext("metadata") == "true"
    assert noise.findtext("service_name") == "噪音扰民"


def test_service_definition_json_and_xml(client, schemas):
    body = client.get(f"{BASE}/services/noise.json").json
    schemas["service-definition"].validate(body)
    assert body["service_code"] == "noise"
    source = body["attributes"][0]
    assert source["code"] == "source" and source["required"] is True
    assert source["datatype"] == "singlevaluelist" and source["order"] == 1
    assert {"key": "square_dance", "name": "广场舞"} in source["values"]
    root = ET.fromstring(client.get(f"{BASE}/services/noise.xml").data)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "noise"
    attributes = root.find("attributes").findall("attribute")
    assert len(attributes) == 2
    assert {c.tag for c in attributes[0]} == {
        "variable", "code", "datatype", "required", "datatype_description", "order",
        "description", "values",
    }  # fmt: skip
    value = attributes[0].find("values").find("value")
    assert value.findtext("key") == "construction" and value.findtext("name") == "建筑施工"
    plain = client.get(f"{BASE}/services/litter.json").json
    schemas["service-definition"].validate(plain)
    assert plain["attributes"] == []


def test_discovery(client):
    body = client.get(f"{BASE}/discovery.json").json
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == "http://hotline.test/open311/v2"
    assert "text/xml" in endpoint["formats"]
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").data)
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text == "application/json"


def test_jurisdiction(client):
    assert client.get(f"{BASE}/services.json?jurisdiction_id=5101").status_code == 200
    assert client.get(f"{BASE}/services.json?jurisdiction_id=").status_code == 200
    unknown = client.get(f"{BASE}/services.json?jurisdiction_id=nyc.gov")
    assert unknown.status_code == 404
    assert unknown.json[0]["code"] == 404 and "nyc.gov" in unknown.json[0]["description"]
