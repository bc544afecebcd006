"""Open311 GeoReport v2 at /open311/v2: discovery, services, requests and tokens."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from hotline.api.errors import ApiError, http_status
from hotline.core.context import settings
from hotline.core.errors import DomainError
from hotline.open311 import operations
from hotline.open311.catalogue import Service, catalogue, get_service
from hotline.open311.schemas import (
    MAX_IDS,
    JurisdictionSchema,
    RequestCreateSchema,
    RequestQuerySchema,
    check_attributes,
    parse_datetime,
    present,
    split_form,
)
from hotline.open311.serialize import definition_json, render, request_json, service_json

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FORMATS = "any(json, xml)"


def _fmt() -> str:
    fmt = (request.view_args or {}).get("fmt")
    return fmt if fmt in ("json", "xml") else ("xml" if request.path.endswith(".xml") else "json")


def _errors(status: int, items: list[tuple[str, str]]) -> Response:
    body = [{"code": status, "description": text} for _, text in items] or [
        {"code": status, "description": "error"}
    ]
    return render(_fmt(), "errors", body, status)


def _flatten(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        out: list[tuple[str, str]] = []
        for key, value in messages.items():
            name = key if key != "_schema" else prefix or "request"
            out += _flatten(value, name)
        return out
    if isinstance(messages, list):
        return [(prefix, f"{prefix}: {m}" if isinstance(m, str) else str(m)) for m in messages]
    return [(prefix, f"{prefix}: {messages}")]


@bp.errorhandler(ApiError)
@bp.errorhandler(DomainError)
def _api_error(error: ApiError | DomainError) -> Response:
    return _errors(http_status(error), [("", error.message)])


@bp.errorhandler(ValidationError)
def _invalid(error: ValidationError) -> Response:
    return _errors(400, _flatten(error.messages))


@bp.errorhandler(HTTPException)
def _http(error: HTTPException) -> Response:
    status = error.code or 400
    return _errors(status if status in (403, 404) else 400, [("", error.description or "")])


@bp.before_request
def _refuse_nul() -> None:
    # PostgreSQL text cannot hold NUL: refuse it up front rather than fail in a query.
    values = [request.path, *request.args.keys(), *request.args.values()]
    if any("\x00" in v for v in values):
        raise ApiError(400, "invalid", "parameters must not contain NUL characters")


def _jurisdiction(data: dict[str, Any]) -> None:
    given = data.get("jurisdiction_id")
    if given is not None and given != settings().open311_jurisdiction:
        raise ApiError(404, "not_found", f"jurisdiction {given} not found")


# Filters the spec lets a client repeat ("can be declared multiple times, comma delimited").
KNOWN_RESOURCE = re.compile(
    r"^(discovery|services|requests)\.(json|xml)$|^(services|requests|request|tokens)/[^/]+\.(json|xml)$"
)
REPEATABLE = ("service_request_id", "service_code", "status")


def _get_args(schema: type) -> dict[str, Any]:
    params = present(request.args)
    flat = params.to_dict()
    for name in REPEATABLE:
        if len(params.getlist(name)) > 1:
            flat[name] = ",".join(params.getlist(name))
    data = schema().load(flat)
    _jurisdiction(data)
    return data


def _service(code: str) -> Service:
    service = get_service(code)
    if service is None:
        raise ApiError(404, "not_found", f"service {code} not found")
    return service


@bp.get(f"/discovery.<{FORMATS}:fmt>")
def discovery(fmt: str) -> Response:
    """Describe the endpoint (GeoReport v2 service discovery)."""
    _get_args(JurisdictionSchema)
    base = (settings().public_url or request.host_url.rstrip("/")) + (bp.url_prefix or "")
    body = {
        "changeset": "2026-11-26T00:00:00+08:00",
        "contact": f"{settings().city_name}市12345政务服务便民热线 {settings().contact_email}",
        "key_service": "API 密钥由 12345 管理员按应用签发",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-26T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(fmt, "discovery", body)


@bp.get(f"/services.<{FORMATS}:fmt>")
def services(fmt: str) -> Response:
    """List the service catalogue."""
    _get_args(JurisdictionSchema)
    return render(fmt, "services", [service_json(s) for s in catalogue().values()])


@bp.get(f"/services/<code>.<{FORMATS}:fmt>")
def service_definition(code: str, fmt: str) -> Response:
    """Show one service's extra questions."""
    _get_args(JurisdictionSchema)
    return render(fmt, "service_definition", definition_json(_service(code)))


@bp.post(f"/requests.<{FORMATS}:fmt>")
def create_request(fmt: str) -> Response:
    """File a service request as a ticket."""
    params = present(request.args)
    for name, value in present(request.form).items(multi=True):
        params.add(name, value)
    plain, answers = split_form(params)
    key = operations.check_key(plain.get("api_key"))
    data = RequestCreateSchema().load(plain)
    _jurisdiction(data)
    service = _service(data["service_code"])
    cleaned = check_attributes(service, answers, settings().timezone)
    ticket, row = operations.submit_request(service, data, cleaned, key)
    item: dict[str, Any] = {
        "service_request_id": ticket.number,
        "token": row.token,
        "service_notice": f"您的诉求已受理，工单号 {ticket.number}，请凭工单号和手机号查询进度。",
        "account_id": row.account_id,
    }
    return render(fmt, "service_requests", [item], 201)


@bp.get(f"/requests.<{FORMATS}:fmt>")
def list_requests(fmt: str) -> Response:
    """List requests by ids or by filters (default: the last 90 days, at most 1,000)."""
    args = _get_args(RequestQuerySchema)
    tz = settings().timezone

    def split(name: str) -> list[str] | None:
        items = [v.strip() for v in args.get(name, "").split(",") if v.strip()]
        if len(items) > MAX_IDS:
            raise ApiError(400, "invalid", f"{name}: at most {MAX_IDS} values")
        return items or None

    rows = operations.find_requests(
        ids=split("service_request_id"),
        service_codes=split("service_code"),
        start=parse_datetime(args["start_date"], tz, "start_date")
        if "start_date" in args
        else None,
        end=parse_datetime(args["end_date"], tz, "end_date") if "end_date" in args else None,
        statuses=set(args["status"].split(",")) if "status" in args else None,
    )
    return render(fmt, "service_requests", [request_json(t, r, tz) for t, r in rows])


@bp.get(f"/requests/<number>.<{FORMATS}:fmt>")
@bp.get(f"/request/<number>.<{FORMATS}:fmt>")  # the path the official swagger description uses
def show_request(number: str, fmt: str) -> Response:
    """Show one request."""
    _get_args(JurisdictionSchema)
    ticket, row = operations.get_request(number)
    return render(fmt, "service_requests", [request_json(ticket, row, settings().timezone)])


@bp.get(f"/tokens/<token>.<{FORMATS}:fmt>")
def show_token(token: str, fmt: str) -> Response:
    """Turn a token into its service_request_id."""
    _get_args(JurisdictionSchema)
    row = operations.get_token(token)
    body = [{"service_request_id": row.ticket.number, "token": row.token}]
    return render(fmt, "service_requests", body)


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> Response:
    """Answer any other path under the base with an Open311 404 (or 400 for a wrong method)."""
    if KNOWN_RESOURCE.match(rest):
        raise ApiError(400, "invalid", f"method {request.method} is not allowed on {rest}")
    raise ApiError(404, "not_found", f"no such resource: {rest or '/'}")
