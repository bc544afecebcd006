"""The API is held to its own OpenAPI document by schemathesis, anonymous and with a token.

Every operation of /api/v1/openapi.json is called with generated input against the real app
(database and Redis): no server error, every status documented, every documented response
body conforms. A future endpoint or status that drifts from the document fails here.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.plugin import PASSWORD, inside_one_minute, make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    response_headers_conformance,  # e.g. Retry-After on 429
]
# Enough to reach every branch of the validators a few times, few enough to stay fast.
EXAMPLES = 8


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def operator_token(app, client):
    username = make_user(app, "operator")
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return response.json["token"]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_anonymous_calls_keep_to_the_document(case):
    response = case.call()
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_calls_with_a_token_keep_to_the_document(case, operator_token):
    response = case.call(headers={"Authorization": f"Bearer {operator_token}"})
    case.validate_response(response, checks=CHECKS)


def test_a_429_keeps_to_the_document_with_its_retry_after(app_env, app):
    from hotline import create_app

    inside_one_minute()
    limited = create_app({**app_env, "HOTLINE_RATE_LIMIT": "1"})
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", limited)["/api/v1/tickets"][
        "POST"
    ]
    body = {"type": "help", "description": "路灯坏了", "phone": "13812345678"}
    responses = [operation.Case(body=body).call() for _ in range(2)]
    assert [r.status_code for r in responses] == [201, 429]
    for response, case in zip(responses, [operation.Case(body=body)] * 2, strict=True):
        case.validate_response(response, checks=CHECKS)
    headers = {k.lower(): v for k, v in responses[1].headers.items()}
    retry = headers["retry-after"]
    assert int(retry[0] if isinstance(retry, list) else retry) >= 1


def test_every_api_route_is_in_the_document(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - documented == set()
    for path, ops in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            assert {"400", "405", "413", "414"} <= set(op["responses"]), (path, method)
            if "security" in op:
                assert {"401", "403"} <= set(op["responses"]), (path, method)
    for path in ("/api/v1/tickets", "/api/v1/auth/token", "/api/v1/track/{number}"):
        method = "get" if "track" in path else "post"
        limited = document["paths"][path][method]["responses"]["429"]
        assert limited["headers"]["Retry-After"]["required"] is True


def test_phone_has_a_documented_pattern(client):
    import re

    document = client.get("/api/v1/openapi.json").json
    pattern = document["components"]["schemas"]["TicketCreate"]["properties"]["phone"]["pattern"]
    for good in ("13812345678", "+8613812345678", "028-86612345", "02886612345"):
        assert re.match(pattern, good), good
    for bad in ("12345", "23812345678", "1381234567x", ""):
        assert not re.match(pattern, bad), bad
