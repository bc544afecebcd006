"""The outbox drain: one wake-up per burst of messages, every due message sent, none left behind."""

from __future__ import annotations

import time
from typing import Any

from rq import SimpleWorker
from sqlalchemy import select

from hotline.core.extensions import db, redis_store
from hotline.notifications.models import OutboxMessage
from hotline.notifications.operations import queue_message
from hotline.notifications.wake import DRAIN_KEY
from hotline.tasks.queues import NOTIFICATIONS, get_queue


def _states(app: Any) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.state).order_by(OutboxMessage.id)))


def _work(app: Any) -> None:
    with app.app_context():
        SimpleWorker([get_queue(NOTIFICATIONS)], connection=redis_store.client).work(burst=True)


def test_a_burst_wakes_one_drain_that_sends_every_message(app: Any, fake_twilio: Any) -> None:
    with app.app_context():
        for i in range(3):
            queue_message("resident_receipt", f"1380000000{i}", f"【12345】第{i}条", f"burst:{i}")
            db.session.commit()
        # Three commits, one job: the first set the key, the others found it set.
        assert get_queue(NOTIFICATIONS).count == 1
        assert redis_store.client.exists(DRAIN_KEY)
    _work(app)
    assert _states(app) == ["sent", "sent", "sent"]
    assert len(fake_twilio.requests) == 3
    with app.app_context():
        assert not redis_store.client.exists(DRAIN_KEY)  # the drain cleared it before reading


def test_a_message_after_a_drain_wakes_the_next_one(app: Any, fake_twilio: Any) -> None:
    with app.app_context():
        queue_message("resident_receipt", "13800000001", "【12345】一", "next:1")
        db.session.commit()
    _work(app)
    with app.app_context():
        queue_message("resident_receipt", "13800000002", "【12345】二", "next:2")
        db.session.commit()
        assert get_queue(NOTIFICATIONS).count == 1
    _work(app)
    assert _states(app) == ["sent", "sent"]


def test_a_rolled_back_message_wakes_nothing(app: Any) -> None:
    with app.app_context():
        queue_message("resident_receipt", "13800000003", "【12345】三", "rolled:1")
        db.session.rollback()
        assert get_queue(NOTIFICATIONS).count == 0
        assert not redis_store.client.exists(DRAIN_KEY)


def test_a_lost_wake_up_is_caught_by_the_periodic_flush(app: Any, fake_twilio: Any) -> None:
    with app.app_context():
        queue_message("resident_receipt", "13800000004", "【12345】四", "lost:1")
        db.session.commit()
        get_queue(NOTIFICATIONS).empty()  # the drain job never runs (a worker died with it)
        from hotline.notifications.tasks import flush_outbox

        assert flush_outbox() == 1
    _work(app)
    assert _states(app) == ["sent"]


def test_web_requests_wake_the_drain_once_a_period_and_a_timer_after_the_burst(
    app: Any, client: Any, fake_twilio: Any, configure: Any
) -> None:
    configure(outbox_wake_ms=3000)  # long enough for a slow machine to post and drain within
    from hotline.notifications import wake

    wake._DEBOUNCE.__init__()  # type: ignore[misc]  # no period left over from another test
    phones = [f"1380000010{i}" for i in range(3)]
    for phone in phones:  # a burst: the first asks Redis, the others leave it to the timer
        body = {"type": "complaint", "description": "路灯坏了好几天", "phone": phone}
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    with app.app_context():
        assert get_queue(NOTIFICATIONS).count == 1
    _work(app)  # the drain sends every receipt committed before it read the outbox
    assert _states(app) == ["sent", "sent", "sent"]
    # A receipt committed after that drain read: only the timer at the period's end wakes one.
    body = {"type": "help", "description": "小区停水了", "phone": "13800000110"}
    assert client.post("/api/v1/tickets", json=body).status_code == 201
    with app.app_context():
        assert get_queue(NOTIFICATIONS).count == 0
    for _ in range(80):
        time.sleep(0.05)
        with app.app_context():
            if get_queue(NOTIFICATIONS).count:
                break
    _work(app)
    assert _states(app) == ["sent"] * 4
