"""Request size limits per route: 413 in the route's own format, before the body is read."""

from __future__ import annotations

import io
import json

BIG = 200 * 1024  # over the API and Open311 caps (64 KiB), under the form and webhook caps


def test_an_oversize_api_body_is_a_json_413(client):
    body = json.dumps({"type": "help", "description": "x" * BIG, "phone": "13812345678"})
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    # A body sent without Content-Length is cut off at the cap while being read.
    response = client.post(
        "/api/v1/tickets",
        input_stream=io.BytesIO(body.encode()),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"


def test_other_routes_have_their_own_caps_and_formats(client):
    twilio = client.post("/twilio/sms", data={"Body": "x" * 300 * 1024, "From": "+8613812345678"})
    assert twilio.status_code == 413
    open311 = client.post("/open311/v2/requests.json", data={"description": "x" * BIG})
    assert open311.status_code == 413 and open311.json[0]["code"] == 413
    form = client.post("/login", data={"username": "x" * (300 * 1024), "password": "y"})
    assert form.status_code == 413 and "<html" in form.get_data(as_text=True)
    # Under the form cap a large field is merely a wrong sign-in, not a refusal of its size.
    assert client.post("/login", data={"username": "x" * BIG, "password": "y"}).status_code != 413
    upload = client.post(
        "/api/v1/tickets",
        data={"file": (io.BytesIO(b"x" * BIG), "photo.jpg")},
        content_type="multipart/form-data",
    )
    assert upload.status_code != 413  # uploads have the larger cap (and this is no JSON)


def test_an_overlong_url_is_a_json_414(client):
    response = client.get("/api/v1/tickets?q=" + "x" * 5000)
    assert response.status_code == 414 and response.json["error"]["code"] == "uri_too_long"
