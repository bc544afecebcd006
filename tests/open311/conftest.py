"""Open311 fixtures: the official GeoReport v2 JSON schemas, an API key, a form poster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / ".." / "shared" / "open311-schemas"
NAMES = ("service", "services", "service-definition", "request", "requests")


@pytest.fixture(scope="session")
def schemas() -> dict[str, Draft7Validator]:
    """Validators for each GeoReport v2 resource, resolving their relative $refs."""
    if not (SCHEMA_DIR / "requests.json").exists():
        pytest.skip(f"the shared Open311 schemas are missing at {SCHEMA_DIR.resolve()}")
    loaded = {n: json.loads((SCHEMA_DIR / f"{n}.json").read_text()) for n in NAMES}
    registry = Registry().with_resources(
        (f"{n}.json", Resource.from_contents(s, default_specification=_draft7()))
        for n, s in loaded.items()
    )
    return {
        n: Draft7Validator(s, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)
        for n, s in loaded.items()
    }


def _draft7() -> Any:
    from referencing.jsonschema import DRAFT7

    return DRAFT7


@pytest.fixture
def api_key(app: Any) -> str:
    """A fresh API key for one test application."""
    from hotline.core.actors import SYSTEM
    from hotline.core.extensions import db
    from hotline.open311.operations import create_key

    with app.app_context():
        _, key = create_key("测试应用", SYSTEM)
        db.session.remove()
    return key


@pytest.fixture
def post_request(client: Any, api_key: str) -> Any:
    """POST a form to requests.json (or .xml) with sensible defaults, overridable."""

    def post(fmt: str = "json", **fields: Any) -> Any:
        form: dict[str, Any] = {
            "api_key": api_key,
            "service_code": "street_vendor",
            "lat": "30.6453",
            "long": "104.0462",
            "address_string": "武侯区玉林街道玉林北路12号",
            "description": "玉林北路12号门口有人占道经营，堵住人行道",
            "phone": "13812345678",
            "first_name": "小明",
            "last_name": "王",
            "email": "wang@example.com",
            "media_url": "https://img.example.com/a.jpg",
        }
        form.update(fields)
        form = {k: v for k, v in form.items() if v is not None}
        return client.post(f"/open311/v2/requests.{fmt}", data=form)

    return post
