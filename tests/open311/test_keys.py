"""API keys: the CLI issues, lists and revokes them; keys are stored hashed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hotline.core.extensions import db
from hotline.open311.models import ApiKey
from hotline.open311.operations import list_keys


def test_keys_cli(app, client):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["open311", "keys", "create", "--name", "随手拍"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("o311_")
    with app.app_context():
        (row,) = list_keys()
        assert row.name == "随手拍" and row.key_hash != key and key not in row.key_hash
        prefix, row_id = row.prefix, row.id
        db.session.remove()

    form = {
        "api_key": key,
        "service_code": "litter",
        "address_string": "玉林北路",
        "phone": "13812345678",
    }
    assert client.post("/open311/v2/requests.json", data=form).status_code == 201

    listed = runner.invoke(args=["open311", "keys", "list"])
    line = listed.output.strip().splitlines()[0].split("\t")
    assert line[:4] == [str(row_id), prefix, "active", "随手拍"] and line[5] != "never"

    revoked = runner.invoke(args=["open311", "keys", "revoke", prefix])
    assert revoked.exit_code == 0 and prefix in revoked.output
    assert "revoked" in runner.invoke(args=["open311", "keys", "list"]).output
    assert client.post("/open311/v2/requests.json", data=form).status_code == 403
    # Revoking by id, twice, is harmless; an unknown key is a clear error.
    assert runner.invoke(args=["open311", "keys", "revoke", str(row_id)]).exit_code == 0
    unknown = runner.invoke(args=["open311", "keys", "revoke", "nope"])
    assert unknown.exit_code != 0 and "no API key nope" in unknown.output
    empty = runner.invoke(args=["open311", "keys", "create", "--name", "  "])
    assert empty.exit_code != 0
    with app.app_context():
        assert db.session.query(ApiKey).count() == 1
        db.session.remove()


def test_control_characters_still_give_valid_xml(client, post_request):
    number = post_request(description="坏字符\x01\x0b结束")
    number = number.json[0]["service_request_id"]
    root = ET.fromstring(client.get(f"/open311/v2/requests/{number}.xml").data)
    assert root.findtext("request/description").startswith("坏字符")
