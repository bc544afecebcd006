"""The Open311 service catalogue: load services.yaml once and check it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hotline.core.vocabulary import FUNCTIONS, TYPES

CATALOGUE_PATH = Path(__file__).with_name("services.yaml")
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class Attribute:
    """One extra question of a service (GeoReport v2 service definition attribute)."""

    code: str
    description: str
    datatype: str
    required: bool = False
    variable: bool = True
    order: int = 1
    datatype_description: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> set[str]:
        """Return the allowed keys of a list attribute."""
        return {key for key, _ in self.values}


@dataclass(frozen=True)
class Service:
    """One request kind residents pick, mapped to a ticket type and a department function."""

    code: str
    name: str
    description: str
    group: str
    type: str
    function: str
    keywords: tuple[str, ...] = ()
    attributes: tuple[Attribute, ...] = field(default=())

    @property
    def metadata(self) -> bool:
        """Tell whether the service has a definition with attributes."""
        return bool(self.attributes)


def _attribute(raw: dict[str, Any], order: int, where: str) -> Attribute:
    datatype = raw.get("datatype")
    if datatype not in DATATYPES:
        raise ValueError(f"{where}: datatype {datatype!r} is not one of {DATATYPES}")
    values = tuple((str(k), str(v)) for k, v in (raw.get("values") or {}).items())
    if datatype.endswith("valuelist") != bool(values):
        raise ValueError(f"{where}: list datatypes need values, other datatypes none")
    return Attribute(
        code=str(raw["code"]),
        description=str(raw["description"]),
        datatype=datatype,
        required=bool(raw.get("required", False)),
        variable=bool(raw.get("variable", True)),
        order=order,
        datatype_description=raw.get("datatype_description"),
        values=values,
    )


def parse(data: dict[str, Any]) -> dict[str, Service]:
    """Build the catalogue from parsed YAML, raising ValueError on a bad entry."""
    services: dict[str, Service] = {}
    for raw in data.get("services") or []:
        code = str(raw.get("code", ""))
        if not code or code in services or not code.replace("_", "").isalnum():
            raise ValueError(f"service code {code!r} is empty, duplicate or not [a-z0-9_]")
        if raw.get("type") not in TYPES or raw.get("function") not in FUNCTIONS:
            raise ValueError(f"service {code}: unknown ticket type or department function")
        attributes = tuple(
            _attribute(a, i, f"service {code}")
            for i, a in enumerate(raw.get("attributes") or [], 1)
        )
        services[code] = Service(
            code=code,
            name=str(raw["name"]),
            description=str(raw.get("description") or ""),
            group=str(raw.get("group") or ""),
            type=raw["type"],
            function=raw["function"],
            keywords=tuple(str(k) for k in raw.get("keywords") or ()),
            attributes=attributes,
        )
    return services


@cache
def catalogue() -> dict[str, Service]:
    """Return every service by code, in file order."""
    return parse(yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8")))


def get_service(code: str) -> Service | None:
    """Return the service ``code`` or None."""
    return catalogue().get(code)
