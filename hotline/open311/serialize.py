"""Render Open311 resources as the spec's JSON (arrays) and XML (its element names)."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response

from hotline.core.timeutil import isoformat
from hotline.open311.catalogue import Service, get_service
from hotline.open311.models import Open311Request
from hotline.open311.operations import OPEN311_OPEN
from hotline.tickets.models import Ticket

# Characters XML 1.0 cannot carry at all; a resident's text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML_ROOTS = {"services": "service", "service_requests": "request", "errors": "error"}


def service_json(service: Service) -> dict[str, Any]:
    """Return one entry of GET services."""
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": service.metadata,
        "type": "realtime",
        "keywords": ",".join(service.keywords),
        "group": service.group,
    }


def definition_json(service: Service) -> dict[str, Any]:
    """Return GET services/{code}: the service's attributes."""
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [{"key": k, "name": n} for k, n in a.values],
            }
            for a in service.attributes
        ],
    }


def _status_notes(ticket: Ticket) -> str | None:
    if ticket.status == "merged" and ticket.merged_into is not None:
        return f"已合并至工单 {ticket.merged_into.number} 办理"
    return ticket.reply


def request_json(ticket: Ticket, extra: Open311Request | None, tz: str) -> dict[str, Any]:
    """Return one service request as GET requests shows it."""
    service = get_service(ticket.service_code or "")
    closed = ticket.status not in OPEN311_OPEN
    # What the resident wrote; a request filed without a description has none (null).
    description = extra.description if extra is not None else ticket.description
    return {
        "service_request_id": ticket.number,
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(ticket),
        "service_name": service.name if service else None,
        "service_code": ticket.service_code or "",
        "description": description[:4000] if description else None,
        "agency_responsible": ticket.department.name if ticket.department else None,
        "service_notice": None,
        "requested_datetime": isoformat(ticket.created_at, tz),
        "updated_datetime": isoformat(ticket.updated_at, tz),
        "expected_datetime": isoformat(ticket.resolve_due, tz),
        "address": ticket.address,
        "address_id": extra.address_id if extra else None,
        "zipcode": None,
        "lat": ticket.latitude,
        "long": ticket.longitude,
        "media_url": ticket.media_url,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(parent, key)
        if key == "attributes":
            for item in value:
                _fill(ET.SubElement(child, "attribute"), item)
        elif key == "values":
            for item in value:
                _fill(ET.SubElement(child, "value"), item)
        elif key == "endpoints":
            for item in value:
                _fill(ET.SubElement(child, "endpoint"), item)
        elif key == "formats":
            for item in value:
                ET.SubElement(child, "format").text = item
        else:
            child.text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    """Serialise ``body`` under ``root``: lists as repeated items, dicts as elements."""
    element = ET.Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(ET.SubElement(element, XML_ROOTS[root]), item)
    else:
        _fill(element, body)
    # The spec's declaration, with double quotes and UTF-8 in capitals.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")


def render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    """Answer in the requested format with UTF-8."""
    if fmt == "xml":
        return Response(to_xml(root, body), status, content_type="text/xml; charset=utf-8")
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status, content_type="application/json; charset=utf-8")
