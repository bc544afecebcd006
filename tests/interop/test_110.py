"""The line to 110: emergencies pushed once through the outbox, matters 110 hands over, outcomes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from rq import SimpleWorker
from sqlalchemy import select, update

from hotline.core.extensions import db, redis_store
from hotline.core.timeutil import utcnow
from hotline.interop.models import InteropLink
from hotline.notifications.models import OutboxMessage
from hotline.tasks.queues import NOTIFICATIONS, get_queue
from hotline.tickets.models import Ticket
from tests.interop.fake_110 import Fake110

FIRE = "快来人啊，楼下着火了，好大的烟"


@pytest.fixture
def fake_110(app: Any) -> Iterator[Fake110]:
    """The fake 110 platform, with the app pushing to it (settings restored afterwards)."""
    original = app.config["HOTLINE"]
    with Fake110() as fake:
        app.config["HOTLINE"] = dataclasses.replace(
            original,
            interop_110_push_url=fake.url,
            interop_110_push_key="push-key-123",
            interop_110_timeout=2,
        )
        yield fake
    app.config["HOTLINE"] = original


def _work(app: Any) -> None:
    with app.app_context():
        SimpleWorker([get_queue(NOTIFICATIONS)], connection=redis_store.client).work(burst=True)


def _time_passes(app: Any) -> None:
    """Make every waiting retry due now."""
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        from hotline.notifications.tasks import flush_outbox

        flush_outbox()


def _key(app: Any) -> str:
    result = app.test_cli_runner().invoke(args=["interop", "keys", "create", "--name", "110"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_an_emergency_sms_reaches_110_once_even_when_the_first_push_fails(
    app: Any, client: Any, fake_110: Fake110
) -> None:
    fake_110.fail_next = 1
    response = client.post(
        "/api/v1/tickets", json={"type": "help", "description": FIRE, "phone": "13800001111"}
    )
    assert response.status_code == 201 and response.json["emergency"] is True
    number = response.json["number"]
    _work(app)
    assert len(fake_110.requests) == 1 and fake_110.filed == {}
    _time_passes(app)
    _work(app)
    _time_passes(app)
    _work(app)
    assert len(fake_110.requests) == 2
    [record] = fake_110.filed.values()
    assert record["record_type"] == "emergency"
    assert record["ticket_number"] == number
    assert record["caller_phone"] == "13800001111"
    assert record["description"] == FIRE
    assert record["emergency"]["numbers"]
    assert fake_110.requests[-1]["auth"] == "Bearer push-key-123"
    with app.app_context():
        link = db.session.scalar(select(InteropLink).where(InteropLink.direction == "outbound"))
        assert link is not None and link.external_id == "JJ000001"
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "interop_110_emergency")
        )
        assert (message.state, message.attempts, message.provider_sid) == ("sent", 2, "JJ000001")


def test_an_ordinary_ticket_is_not_pushed_to_110(
    app: Any, client: Any, new_ticket: Callable[..., str], fake_110: Fake110
) -> None:
    new_ticket()
    _work(app)
    assert fake_110.requests == []


def test_110_hands_over_a_matter_that_becomes_a_routed_ticket(
    app: Any, client: Any, staff: Callable[..., dict[str, str]], fake_110: Fake110
) -> None:
    key = _key(app)
    body = {
        "external_id": "JJ20261129-0042",
        "description": "小区门口有人占道经营，摊位摆到马路上了",
        "phone": "13900002222",
        "address": "武侯区玉林街道玉林北路",
        "type": "complaint",
    }
    headers = {"Authorization": f"Bearer {key}"}
    first = client.post("/api/v1/interop/110/tickets", json=body, headers=headers)
    assert first.status_code == 201, first.json
    assert first.json["channel"] == "110"
    again = client.post("/api/v1/interop/110/tickets", json=body, headers=headers)
    assert again.status_code == 200 and again.json["number"] == first.json["number"]
    number = first.json["number"]
    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket.channel == "110"
        assert ticket.routing["function"] == "urban_management"
        assert [e.actor for e in ticket.events][0] == "110联动平台"

    operator = staff("operator")
    assert client.post(
        f"/api/v1/tickets/{number}/actions", json={"action": "answer", "reply": "已转城管处理"},
        headers=operator,
    ).status_code == 200  # fmt: skip
    _work(app)
    [record] = fake_110.filed.values()
    assert record["record_type"] == "outcome"
    assert record["external_id"] == "JJ20261129-0042"
    assert (record["status"], record["reply"]) == ("answered", "已转城管处理")
    followed = client.get("/api/v1/interop/110/tickets/JJ20261129-0042", headers=headers)
    assert followed.status_code == 200 and followed.json["number"] == number


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer hlx_abcd1234_wrong"}],
)
def test_110_endpoint_refuses_without_a_valid_key(app: Any, client: Any, headers: dict) -> None:
    _key(app)
    response = client.post(
        "/api/v1/interop/110/tickets",
        json={"external_id": "x1", "description": "d", "phone": "13900002222"},
        headers=headers,
    )
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_a_revoked_key_and_bad_records_are_refused(app: Any, client: Any) -> None:
    key = _key(app)
    headers = {"Authorization": f"Bearer {key}"}
    bad = client.post(
        "/api/v1/interop/110/tickets",
        json={"external_id": "bad id with spaces", "description": "", "phone": "12"},
        headers=headers,
    )
    assert bad.status_code == 400
    assert {"external_id", "description", "phone"} <= set(bad.json["error"]["fields"])
    prefix = key.split("_")[1]
    result = app.test_cli_runner().invoke(args=["interop", "keys", "revoke", prefix])
    assert result.exit_code == 0, result.output
    refused = client.post(
        "/api/v1/interop/110/tickets",
        json={"external_id": "x2", "description": "路灯坏了", "phone": "13900002222"},
        headers=headers,
    )
    assert refused.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(Ticket).where(Ticket.channel == "110")) is None


def test_only_110_can_be_given_a_key(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=["interop", "keys", "create", "--name", "wechat"])
    assert result.exit_code != 0 and "110" in result.output


def test_keys_are_listed_with_their_state(app: Any) -> None:
    key = _key(app)
    prefix = key.split("_")[1]
    listed = app.test_cli_runner().invoke(args=["interop", "keys", "list"])
    assert listed.exit_code == 0 and prefix in listed.output and "110" in listed.output
    app.test_cli_runner().invoke(args=["interop", "keys", "revoke", prefix])
    after = app.test_cli_runner().invoke(args=["interop", "keys", "list"])
    row = next(line for line in after.output.splitlines() if prefix in line)
    assert row != next(line for line in listed.output.splitlines() if prefix in line)
