"""No request body, query or path gives a 500, and a refused request creates nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.tickets.models import Ticket

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=50)
    # Surrogates too: JSON allows "\ud800", UTF-8 and the databases do not.
    | st.text(alphabet=st.characters(categories=("Cs", "Lo")), max_size=5)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
ticket_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["complaint", "help", "nope", ""]) | json_scalars,
        "description": st.text(max_size=4100) | json_scalars,
        "phone": st.sampled_from(["13812345678", "028-85551234", "+8613812345678", "12345", ""])
        | st.text(max_size=20),
        "name": json_scalars,
        "address": json_scalars,
        "community_code": st.sampled_from(["510107005001", "999999999999", "5101", "abc"])
        | json_scalars,
        "urgent": json_scalars,
        "extra": json_scalars,
    },
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _count(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Ticket))
        db.session.remove()
        return n


@SETTINGS
@given(body=ticket_like | json_values)
def test_intake_never_500(app, body):
    client = app.test_client()
    before = _count(app)
    response = client.post("/api/v1/tickets", json=body)
    assert response.status_code in (201, 400, 422), response.data
    assert response.is_json
    if response.status_code != 201:
        assert "error" in response.json
        assert _count(app) == before


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_garbage_bodies(app, raw):
    response = app.test_client().post("/api/v1/tickets", data=raw, content_type="application/json")
    assert response.status_code == 400


@SETTINGS
@given(
    body=json_values
    | st.fixed_dictionaries(
        {"action": st.sampled_from(["dispatch", "sign", "resolve", "merge", "rate", "x"])},
        optional={
            "department": json_scalars,
            "reply": json_scalars,
            "into": json_scalars,
            "rating": json_scalars,
            "version": json_scalars,
            "days": json_scalars,
        },
    )
)
def test_actions_never_500(app, operator, body):
    client = app.test_client()
    response = client.post("/api/v1/tickets/20260101-000001/actions", json=body, headers=operator)
    assert response.status_code in (400, 404, 409, 422), response.data


@SETTINGS
@given(
    path=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    query=st.dictionaries(
        st.sampled_from(
            [
                "status",
                "type",
                "page",
                "per_page",
                "q",
                "org_unit",
                "phone",
                "level",
                "parent",
                "function",
            ]
        ),
        st.text(max_size=20),
        max_size=4,
    ),
)
def test_queries_never_500(app, operator, path, query):
    client = app.test_client()
    headers = operator
    path = quote(path, safe="")
    for url in (
        "/api/v1/tickets",
        f"/api/v1/track/{path}",
        "/api/v1/org-units",
        "/api/v1/departments",
        f"/api/v1/tickets/{path}",
    ):
        response = client.get(url, query_string=query, headers=headers)
        assert response.status_code < 500, (url, query, response.data)


@pytest.fixture
def operator(staff):
    return staff("operator")


def test_unpaired_surrogates_are_refused_not_500(client, staff):
    raw = '{"type":"complaint","description":"x","phone":"13812345678","address":"\\ud800"}'
    response = client.post("/api/v1/tickets", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "address" in response.json["error"]["fields"]
    login = client.post(
        "/api/v1/auth/token",
        data='{"username":"\\udfff","password":"x"}',
        content_type="application/json",
    )
    assert login.status_code == 400
