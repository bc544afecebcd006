"""Early warnings: a surge of one matter in one street is raised once, to that area's supervisors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rq import SimpleWorker
from sqlalchemy import select

from hotline.core.extensions import db, redis_store
from hotline.core.timeutil import utcnow
from hotline.early_warning.models import EarlyWarning
from hotline.early_warning.tasks import detect_surges
from hotline.notifications.models import OutboxMessage
from hotline.tasks.queues import DEFAULT, get_queue
from hotline.users.models import User
from tests.support.plugin import make_user
from tests.support.stats import put

YULIN = "510107005"  # 玉林街道
YULIN_COMMUNITY = "510107005001"


def _tickets(app: Any, n: int, ago: timedelta, function: str = "water", place: str = YULIN_COMMUNITY,
             prefix: str = "T") -> None:  # fmt: skip
    with app.app_context():
        created = utcnow() - ago
        for i in range(n):
            put(f"{prefix}{ago.days}-{i}", created, place, None, status="received",
                routing={"function": function})  # fmt: skip
        db.session.commit()


def _run_job(app: Any) -> None:
    with app.app_context():
        get_queue(DEFAULT).enqueue(detect_surges)
        SimpleWorker([get_queue(DEFAULT)], connection=redis_store.client).work(burst=True)


def _supervisor(app: Any, unit: str, phone: str) -> None:
    name = make_user(app, "supervisor", org_unit=unit)
    with app.app_context():
        db.session.scalar(select(User).where(User.username == name)).phone = phone
        db.session.commit()


def _warnings(app: Any) -> list[EarlyWarning]:
    with app.app_context():
        rows = list(db.session.scalars(select(EarlyWarning)))
        db.session.expunge_all()
        return rows


def test_twelve_water_outages_in_one_street_raise_exactly_one_warning(app: Any) -> None:
    _supervisor(app, "510107", "13700000001")  # 武侯区: told
    _supervisor(app, "510104", "13700000002")  # 锦江区: not told
    _tickets(app, 12, timedelta(minutes=30))
    _tickets(app, 1, timedelta(weeks=1, minutes=20), prefix="H")  # the usual: about none
    _run_job(app)
    _run_job(app)
    _tickets(app, 3, timedelta(minutes=5), prefix="M")  # the surge goes on: no second warning
    _run_job(app)
    [warning] = _warnings(app)
    assert (warning.function, warning.org_unit_code, warning.count) == ("water", YULIN, 12)
    assert warning.baseline == 0.25
    with app.app_context():
        sms = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "supervisor_early_warning")
        ).all()
    assert [m.to for m in sms] == ["13700000001"]
    assert "玉林街道" in sms[0].body and "水务" in sms[0].body


def test_the_detect_command_raises_once(app: Any) -> None:
    _tickets(app, 9, timedelta(minutes=10), function="transport")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["warnings", "detect"]).output.strip() == "1 new early warning(s)"
    assert runner.invoke(args=["warnings", "detect"]).output.strip() == "0 new early warning(s)"


def test_a_busy_street_with_that_much_every_week_raises_nothing(app: Any) -> None:
    _tickets(app, 12, timedelta(minutes=30))
    for week in range(1, 5):
        _tickets(app, 10, timedelta(weeks=week, minutes=30), prefix=f"W{week}-")
    _run_job(app)
    assert _warnings(app) == []


def test_a_few_tickets_or_general_ones_raise_nothing(app: Any) -> None:
    _tickets(app, 7, timedelta(minutes=30))
    _tickets(app, 20, timedelta(minutes=30), function="general", prefix="G")
    _run_job(app)
    assert _warnings(app) == []


def test_supervisors_see_and_acknowledge_their_area_s_warnings(
    app: Any, client: Any, staff: Any
) -> None:
    _tickets(app, 12, timedelta(minutes=30))
    _run_job(app)
    [warning] = _warnings(app)
    wuhou, jinjiang = staff("supervisor", org_unit="510107"), staff("supervisor", org_unit="510104")
    listed = client.get("/api/v1/early-warnings", headers=wuhou).json["items"]
    assert [w["id"] for w in listed] == [warning.id] and listed[0]["org_unit"]["name"] == "玉林街道"
    assert client.get("/api/v1/early-warnings", headers=jinjiang).json["items"] == []
    other = client.post(f"/api/v1/early-warnings/{warning.id}/acknowledge", headers=jinjiang)
    assert other.status_code == 404
    seen = client.post(f"/api/v1/early-warnings/{warning.id}/acknowledge", headers=wuhou)
    assert seen.status_code == 200 and seen.json["acknowledged_at"]
    agent = staff("agent", department="510107-water")
    assert client.get("/api/v1/early-warnings", headers=agent).status_code == 403
