"""Parse Open311 form and query parameters; check attribute[code] answers against a service."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from hotline.core.phones import normalise
from hotline.open311.catalogue import Attribute, Service

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")
MAX_IDS = 200


def _s(hi: int) -> fields.String:
    return fields.String(validate=validate.Length(1, hi))


class RequestCreateSchema(Schema):
    """The form fields of POST requests (attribute[code] is taken out before)."""

    class Meta:
        unknown = RAISE

    api_key = _s(200)
    jurisdiction_id = _s(100)
    service_code = fields.String(required=True, validate=validate.Length(1, 40))
    lat = fields.Float(allow_nan=False, validate=validate.Range(-90, 90))
    long = fields.Float(allow_nan=False, validate=validate.Range(-180, 180))
    address_string = _s(200)
    address_id = _s(64)
    email = fields.Email(validate=validate.Length(3, 120))
    device_id = _s(64)
    account_id = _s(64)
    first_name = _s(25)
    last_name = _s(25)
    phone = _s(40)
    description = fields.String(validate=validate.Length(1, 4000))
    media_url = fields.Url(validate=validate.Length(1, 500), schemes={"http", "https"})

    @validates_schema
    def _location(self, data: dict[str, Any], **_: Any) -> None:
        if ("lat" in data) != ("long" in data):
            raise ValidationError("lat and long go together", "lat")
        if not ({"lat", "address_string", "address_id"} & set(data)):
            raise ValidationError("give lat/long, address_string or address_id", "location")
        if "phone" in data and normalise(data["phone"]) is None:
            raise ValidationError("not a mainland China phone number", "phone")


class RequestQuerySchema(Schema):
    """The query of GET requests."""

    class Meta:
        unknown = RAISE

    jurisdiction_id = _s(100)
    api_key = _s(200)  # some clients send it on every call; it is not needed to read
    service_request_id = _s(MAX_IDS * 24)
    service_code = _s(2000)
    start_date = _s(40)
    end_date = _s(40)
    status = fields.String(validate=validate.Regexp(r"^(open|closed)(,(open|closed))?$"))


class JurisdictionSchema(Schema):
    """The query of every other GET: only jurisdiction_id."""

    class Meta:
        unknown = RAISE

    jurisdiction_id = _s(100)
    api_key = _s(200)


def present(params: MultiDict[str, str]) -> MultiDict[str, str]:
    """Drop empty parameters: an empty optional parameter behaves like an absent one."""
    return MultiDict([(k, v) for k, v in params.items(multi=True) if v.strip() != ""])


def split_form(params: MultiDict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Split a form into plain fields and attribute[code] answers; repeated plain fields fail."""
    plain: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for key, value in params.items(multi=True):
        if "\x00" in key or "\x00" in value:
            # PostgreSQL text cannot hold NUL; refuse it here rather than fail on insert.
            raise ValidationError({key.replace("\x00", ""): ["contains a NUL character"]})
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).append(value.strip())
        elif key in plain:
            raise ValidationError({key: ["given more than once"]})
        else:
            plain[key] = value.strip()
    return plain, answers


def parse_datetime(raw: str, tz: str, field: str) -> datetime:
    """Parse a W3C/ISO 8601 datetime; a naive one is taken as the city's local time."""
    try:
        # An unencoded "+08:00" in a query string arrives as " 08:00".
        value = datetime.fromisoformat(raw.strip().replace(" ", "+") if "T" in raw else raw)
    except ValueError:
        raise ValidationError({field: ["not an ISO 8601 datetime"]}) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    try:
        return value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise ValidationError({field: ["datetime out of range"]}) from None


def _check(attr: Attribute, values: list[str], tz: str) -> str | list[str]:
    if attr.datatype == "multivaluelist":
        bad = [v for v in values if v not in attr.keys]
        if bad:
            raise ValueError(f"unknown values {bad}; allowed: {sorted(attr.keys)}")
        return list(dict.fromkeys(values))
    if len(values) != 1:
        raise ValueError("give one value")
    value = values[0]
    if attr.datatype == "singlevaluelist" and value not in attr.keys:
        raise ValueError(f"unknown value; allowed: {sorted(attr.keys)}")
    if attr.datatype == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValueError("not a number") from None
        if not math.isfinite(number):
            raise ValueError("not a finite number")
    if attr.datatype == "datetime":
        try:
            parse_datetime(value, tz, attr.code)
        except ValidationError:
            raise ValueError("not an ISO 8601 datetime") from None
    limit = 2000 if attr.datatype == "text" else 200
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    return value


def check_attributes(
    service: Service, answers: dict[str, list[str]], tz: str
) -> dict[str, str | list[str]]:
    """Validate attribute answers against the service definition; return them cleaned."""
    errors: dict[str, list[str]] = {}
    known = {a.code: a for a in service.attributes if a.variable}
    for code in answers:
        if code not in known:
            errors[f"attribute[{code}]"] = ["unknown attribute for this service"]
    cleaned: dict[str, str | list[str]] = {}
    for code, attr in known.items():
        values = [v for v in answers.get(code, []) if v]
        if not values:
            if attr.required:
                errors[f"attribute[{code}]"] = ["required"]
            continue
        try:
            cleaned[code] = _check(attr, values, tz)
        except ValueError as exc:
            errors[f"attribute[{code}]"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned
