"""GET /api/v1/openapi.json: the OpenAPI document, built from the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify

from hotline.org.schemas import DepartmentQuerySchema, OrgUnitQuerySchema
from hotline.sla.schemas import OverdueQuerySchema
from hotline.stats.schemas import PublicQuerySchema, RatesQuerySchema, RequestsQuerySchema
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
RATE_LIMITED = {
    **ERROR,
    "description": "too many requests from this address (or a locked account)",
    "headers": {
        "Retry-After": {
            "description": "seconds until a new request may succeed",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
HEALTH = {
    "type": "object",
    "required": ["database", "redis"],
    "properties": {
        "database": {"type": "string", "enum": ["ok", "down"]},
        "redis": {"type": "string", "enum": ["ok", "down"]},
    },
}
# What every operation may answer: bad input, a method the path does not take, a body or URL
# over the limits (hotline.api.limits).
COMMON = ("400", "405", "413", "414")


def _responses(
    ok: dict[str, Any],
    *extra: str,
    status: str = "200",
    auth: bool = False,
    limited: bool = False,
) -> dict[str, Any]:
    """Return the responses of an operation: ``ok``, the common errors and ``extra`` ones."""
    responses: dict[str, Any] = {status: ok}
    codes = [*COMMON, *extra, *(("401", "403") if auth else ())]
    responses.update({code: ERROR for code in sorted(set(codes))})
    if limited:
        responses["429"] = RATE_LIMITED
    return responses


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
                "responses": _responses(
                    {
                        "description": "created",
                        "content": {"application/json": {"schema": TicketCreatedSchema}},
                    },
                    "422",
                    status="201",
                    limited=True,
                ),
            },
            "get": {
                "summary": "List tickets in scope",
                "parameters": [{"in": "query", "schema": TicketQuerySchema}],
                "security": [{"bearer": []}],
                "responses": _responses(ok, "422", auth=True),
            },
        },
        "/api/v1/tickets/{number}": {
            "get": {
                "summary": "One ticket with its timeline",
                "parameters": [
                    {"in": "path", "name": "number", "required": True, "schema": {"type": "string"}}
                ],
                "security": [{"bearer": []}],
                "responses": _responses(ok, "404", auth=True),
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
                "responses": _responses(ok, "404", "409", "422", auth=True),
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
                "responses": _responses(ok, "404", limited=True),
            }
        },
        "/api/v1/track/{number}/rate": {
            "post": {
                "summary": "Rate the result (public)",
                "parameters": [
                    {"in": "path", "name": "number", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": _body(ResidentRateSchema),
                "responses": _responses(ok, "404", "409", "422", limited=True),
            }
        },
        "/api/v1/auth/token": {
            "post": {
                "summary": "Get a bearer token",
                "requestBody": _body(TokenRequestSchema),
                "responses": _responses(ok, "401", limited=True),
            }
        },
        "/api/v1/org-units": {
            "get": {
                "summary": "Org units",
                "parameters": [{"in": "query", "schema": OrgUnitQuerySchema}],
                "responses": _responses(ok),
            }
        },
        "/api/v1/departments": {
            "get": {
                "summary": "Departments",
                "parameters": [{"in": "query", "schema": DepartmentQuerySchema}],
                "responses": _responses(ok),
            }
        },
        "/api/v1/me": {
            "get": {
                "summary": "Who the token belongs to",
                "security": [{"bearer": []}],
                "responses": _responses(ok, auth=True),
            }
        },
        "/api/v1/overdue": {
            "get": {
                "summary": "Overdue tickets in scope, most overdue first (CSV with Accept: "
                "text/csv); `parts`: overdue assisting parts; `paused`: clocks paused now",
                "parameters": [{"in": "query", "schema": OverdueQuerySchema}],
                "security": [{"bearer": []}],
                "responses": _responses(ok, "422", auth=True),
            }
        },
        "/api/v1/stats/rates": {
            "get": {
                "summary": "Response, resolution and satisfaction rates in scope",
                "parameters": [{"in": "query", "schema": RatesQuerySchema}],
                "security": [{"bearer": []}],
                "responses": _responses(ok, "422", auth=True),
            }
        },
        "/api/v1/stats/requests": {
            "get": {
                "summary": "Per department: returns and transfers asked, approved, refused",
                "parameters": [{"in": "query", "schema": RequestsQuerySchema}],
                "security": [{"bearer": []}],
                "responses": _responses(ok, "422", auth=True),
            }
        },
        "/api/v1/stats/public": {
            "get": {
                "summary": "Aggregate figures per district (public, no personal data)",
                "parameters": [{"in": "query", "schema": PublicQuerySchema}],
                "responses": _responses(ok),
            }
        },
        "/healthz": {
            "get": {
                "summary": "Health of the database and Redis",
                "responses": {
                    "200": {
                        "description": "both up",
                        "content": {"application/json": {"schema": HEALTH}},
                    },
                    "405": ERROR,
                    "503": {
                        "description": "one is down",
                        "content": {"application/json": {"schema": HEALTH}},
                    },
                },
            }
        },
    }
    paths.update(_feature_paths(ok))
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _id(name: str) -> dict[str, Any]:
    return {"in": "path", "name": name, "required": True, "schema": {"type": "integer"}}


def _text(name: str) -> dict[str, Any]:
    return {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}


def _feature_paths(ok: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the attachment, caller-history, assessment, early-warning, topic and 110 interop
    operations."""
    from hotline.assessment.schemas import AssessmentQuerySchema
    from hotline.interop.schemas import HandoverSchema
    from hotline.topics.schemas import (
        TaskCreateSchema,
        TaskDoneSchema,
        TopicCloseSchema,
        TopicCreateSchema,
    )

    bearer: list[dict[str, list[str]]] = [{"bearer": []}]

    def write(summary: str, body: Any, *params: dict[str, Any]) -> dict[str, Any]:
        return {
            "summary": summary,
            "parameters": list(params),
            "requestBody": _body(body),
            "security": bearer,
            "responses": _responses(ok, "404", "409", "422", auth=True),
        }

    def read(summary: str, *params: dict[str, Any], query: Any = None) -> dict[str, Any]:
        parameters = [*params, *([{"in": "query", "schema": query}] if query else [])]
        return {
            "summary": summary,
            "parameters": parameters,
            "security": bearer,
            "responses": _responses(ok, "404", "422", auth=True),
        }

    topic = _id("topic_id")
    number = _text("number")
    upload = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "public": {"type": "boolean"},
                    },
                }
            }
        },
    }
    a_file = {
        "description": "the file (a photo, video or PDF)",
        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
    }
    return {
        "/api/v1/tickets/{number}/attachments": {
            "get": read("A ticket's attachments", number),
            "post": {
                "summary": "Attach files (multipart field file) to a ticket in scope",
                "parameters": [number],
                "requestBody": upload,
                "security": bearer,
                "responses": _responses(ok, "404", "409", "422", status="201", auth=True),
            },
        },
        "/api/v1/tickets/{number}/attachments/{attachment_id}": {
            "get": {
                "summary": "One attachment's file (staff who may see the ticket)",
                "parameters": [number, _id("attachment_id")],
                "security": bearer,
                "responses": _responses(a_file, "404", "422", auth=True),
            }
        },
        "/api/v1/callers/{phone}/tickets": {
            "get": read(
                "A caller's tickets, newest first (operators, their departments)", _text("phone")
            )  # fmt: skip
        },
        "/api/v1/assessment": {
            "get": read("The month's assessment ranking", query=AssessmentQuerySchema)
        },
        "/api/v1/early-warnings": {"get": read("Early warnings (surges) in scope")},
        "/api/v1/early-warnings/{warning_id}/acknowledge": {
            "post": {**write("Acknowledge a warning", {"type": "object"}, _id("warning_id"))}
        },
        "/api/v1/topics": {
            "get": read("Topics (专题) in scope"),
            "post": write("Open a topic", TopicCreateSchema),
        },
        "/api/v1/topics/{topic_id}": {"get": read("One topic with its tasks", topic)},
        "/api/v1/topics/{topic_id}/tasks": {
            "post": write("Add a task to a topic", TaskCreateSchema, topic)
        },
        "/api/v1/topics/{topic_id}/tasks/{task_id}/complete": {
            "post": write("Complete a task", TaskDoneSchema, topic, _id("task_id"))
        },
        "/api/v1/topics/{topic_id}/close": {
            "post": write("Close a topic", TopicCloseSchema, topic)
        },
        "/api/v1/interop/{partner}/tickets": {
            "post": write(
                "A partner platform (110) hands a matter over", HandoverSchema, _text("partner")
            )
        },
        "/api/v1/interop/{partner}/tickets/{external_id}": {
            "get": read(
                "A partner follows a matter it handed over", _text("partner"), _text("external_id")
            )
        },
    }


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return jsonify(build_spec())
