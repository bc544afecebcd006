"""The workflow's API is in the OpenAPI document and its settings are checked."""

from __future__ import annotations

import pytest

from hotline.core.config import ConfigError, load_settings


def test_openapi_names_the_new_actions_and_fields(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    for name in ("ReviewRequestAction", "ReviewReplyAction", "RequestPauseAction",
                 "DecidePauseAction", "ContributeAction", "HideTextAction"):  # fmt: skip
        assert name in schemas, name
    assert "assisting" in schemas["DispatchAction"]["properties"]
    assert schemas["RequestPauseAction"]["properties"]["reason"]["enum"] == [
        "waiting_resident", "waiting_authority", "seasonal", "other",
    ]  # fmt: skip
    assert schemas["RequestPauseAction"]["properties"]["until"]["format"] == "date"
    assert "confidential" in schemas["TicketCreate"]["properties"]
    assert "/api/v1/stats/requests" in spec["paths"]


def test_workflow_settings(tmp_path):
    base = {"HOTLINE_INSTANCE_PATH": str(tmp_path), "HOTLINE_SECRET_KEY": "x"}
    settings = load_settings(base)
    assert (settings.reply_review, settings.bounce_limit) == (None, 3)
    assert (settings.pause_max_days, settings.pause_max_count) == (60, 2)
    custom = load_settings(base | {"HOTLINE_REPLY_REVIEW": "all", "HOTLINE_BOUNCE_LIMIT": "5"})
    assert (custom.reply_review, custom.bounce_limit) == ("all", 5)
    with pytest.raises(ConfigError, match="HOTLINE_REPLY_REVIEW"):
        load_settings(base | {"HOTLINE_REPLY_REVIEW": "sometimes"})
    with pytest.raises(ConfigError, match="HOTLINE_BOUNCE_LIMIT"):
        load_settings(base | {"HOTLINE_BOUNCE_LIMIT": "0"})


def test_cli_creates_a_reviewer(app):
    from sqlalchemy import select

    from hotline.core.extensions import db
    from hotline.users.models import User

    runner = app.test_cli_runner()
    args = ["users", "create", "--username", "rev_cli", "--password", "secret123",
            "--role", "operator", "--reviewer"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.reviewer).where(User.username == "rev_cli")) is True
        db.session.remove()
