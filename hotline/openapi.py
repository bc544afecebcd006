"""GET /api/v1/openapi.json: the OpenAPI document, built from the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify

from hotline.org.schemas import DepartmentQuerySchema, OrgUnitQuerySchema
from hotline.sla.schemas import OverdueQuerySchema
from hotline.stats.schemas import PublicQuerySchema, RatesQuerySchema
from hotline.tickets.schemas import (
    ACTION_SCHEMAS,
    ResidentRateSchema,
    TicketCreatedSchema,
    TicketCreateSchema,
    TicketQuerySchema,
    TrackQuerySchema,
)
from hotline.users.schemas import TokenRequestSchema

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

ERROR = {
    "description": "error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _body(schema: Any) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def build_spec() -> dict[str, Any]:
    """Return the OpenAPI 3 document of the JSON API."""
    spec = APISpec("hotline 12345", "1.0.0", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {"type": "object"},
                    },
                }
            },
        },
    )
    for _name, schema in ACTION_SCHEMAS.items():
        spec.components.schema(schema.__name__.removesuffix("Schema"), schema=schema)
    actions = {
        "oneOf": [
            {"$ref": f"#/components/schemas/{s.__name__.removesuffix('Schema')}"}
            for s in ACTION_SCHEMAS.values()
        ]
    }
    ok = {"description": "ok"}
    paths: dict[str, dict[str, Any]] = {
        "/api/v1/tickets": {
            "post": {
                "summary": "Open a ticket (public)",
                "requestBody": _body(TicketCreateSchema),
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": TicketCreatedSchema}},
                    },
                    "400": ERROR,
                },
            },
            "get": {
                "summary": "List tickets in scope",
                "parameters": [{"in": "query", "schema": TicketQuerySchema}],
                "security": [{"bearer": []}],
                "responses": {"200": ok, "401": ERROR},
            },
        },
        "/api/v1/tickets/{number}": {
            "get": {
                "summary": "One ticket with its timeline",
                "parameters": [
                    {"in": "path", "name": "number", "required": True, "schema": {"type": "string"}}
                ],
                "security": [{"bearer": []}],
                "responses": {"200": ok, "404": ERROR},
            }
        },
        "/api/v1/tickets/{number}/actions": {
            "post": {
                "summary": "Apply an action",
                "parameters": [
                    {"in": "path", "name": "number", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": _body(actions),
                "security": [{"bearer": []}],
                "responses": {
                    "200": ok,
                    "400": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                    "422": ERROR,
                },
            }
        },
        "/api/v1/track/{number}": {
            "get": {
                "summary": "Track a ticket (public)",
                "parameters": [
                    {
                        "in": "path",
                        "name": "number",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"in": "query", "schema": TrackQuerySchema},
                ],
                "responses": {"200": ok, "404": ERROR},
            }
        },
        "/api/v1/track/{number}/rate": {
            "post": {
                "summary": "Rate the result (public)",
                "parameters": [
                    {"in": "path", "name": "number", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": _body(ResidentRateSchema),
                "responses": {"200": ok, "404": ERROR, "409": ERROR},
            }
        },
        "/api/v1/auth/token": {
            "post": {
                "summary": "Get a bearer token",
                "requestBody": _body(TokenRequestSchema),
                "responses": {"200": ok, "401": ERROR},
            }
        },
        "/api/v1/org-units": {
            "get": {
                "summary": "Org units",
                "parameters": [{"in": "query", "schema": OrgUnitQuerySchema}],
                "responses": {"200": ok},
            }
        },
        "/api/v1/departments": {
            "get": {
                "summary": "Departments",
                "parameters": [{"in": "query", "schema": DepartmentQuerySchema}],
                "responses": {"200": ok},
            }
        },
        "/api/v1/me": {
            "get": {
                "summary": "Who the token belongs to",
                "security": [{"bearer": []}],
                "responses": {"200": ok, "401": ERROR},
            }
        },
        "/api/v1/overdue": {
            "get": {
                "summary": "Overdue tickets in scope, most overdue first (CSV with Accept: text/csv)",
                "parameters": [{"in": "query", "schema": OverdueQuerySchema}],
                "security": [{"bearer": []}],
                "responses": {"200": ok, "400": ERROR, "401": ERROR},
            }
        },
        "/api/v1/stats/rates": {
            "get": {
                "summary": "Response, resolution and satisfaction rates in scope",
                "parameters": [{"in": "query", "schema": RatesQuerySchema}],
                "security": [{"bearer": []}],
                "responses": {"200": ok, "400": ERROR, "401": ERROR, "403": ERROR},
            }
        },
        "/api/v1/stats/public": {
            "get": {
                "summary": "Aggregate figures per district (public, no personal data)",
                "parameters": [{"in": "query", "schema": PublicQuerySchema}],
                "responses": {"200": ok, "400": ERROR},
            }
        },
        "/healthz": {"get": {"summary": "Health", "responses": {"200": ok, "503": ERROR}}},
    }
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return jsonify(build_spec())
