"""Pauses (挂起): an approved stop of the clock, with no warning, red card or escalation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.sla import operations as sla
from hotline.tickets.models import Ticket
from tests.support.sla import ticket
from tests.workflow.helpers import LEAD, act, get


def in_days(n: int) -> str:
    return str(date.today() + timedelta(days=n))


def accepted(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=LEAD)
    agent = staff("agent", department=LEAD)
    act(client, number, agent, action="sign")
    return number, agent, staff("supervisor", org_unit="510107")


def test_request_and_approve_a_pause(client, new_ticket, staff):
    number, agent, supervisor = accepted(client, new_ticket, staff)
    bad = act(client, number, agent, 400, action="request_pause", reason="bored", until=in_days(3))
    assert "reason" in bad["error"]["fields"]
    act(client, number, agent, 400, action="request_pause", reason="seasonal", until="soon")
    act(client, number, agent, 422, action="request_pause", reason="seasonal", until=in_days(0))
    act(client, number, agent, 422, action="request_pause", reason="seasonal", until=in_days(90))
    asked = act(
        client, number, agent, action="request_pause", reason="waiting_authority",
        until=in_days(10), note="等待法院判决",
    )  # fmt: skip
    assert asked["pause_request"]["until"] == in_days(10) and asked["paused_until"] is None
    act(client, number, agent, 403, action="decide_pause", approve=True)
    paused = act(client, number, supervisor, action="decide_pause", approve=True)
    assert paused["paused_until"] == in_days(10) and paused["pause_request"] is None
    assert paused["pause_count"] == 1
    again = act(
        client, number, agent, 409, action="request_pause", reason="other", until=in_days(4)
    )
    assert again["error"]["code"] == "invalid_state"
    assert get(client, number, agent)["paused_until"] == in_days(10)


def test_a_paused_clock_does_not_escalate_and_resumes_at_the_date(app, client, new_ticket, staff):
    number, agent, supervisor = accepted(client, new_ticket, staff)
    act(client, number, agent, action="request_pause", reason="waiting_resident", until=in_days(40))
    act(client, number, supervisor, action="decide_pause", approve=True)
    with app.app_context():
        t = ticket(number)
        due, until, paused_at = t.resolve_due, t.paused_until, t.paused_at
        assert t.sla_next_at == until and due + timedelta(days=3) < until
        # Long past the deadline, but paused: nothing happens.
        assert sla.sweep(due + timedelta(days=3), dry_run=True)["acts"] == []
        assert sla.process([t], due + timedelta(days=3)) == []
        db.session.commit()
        dry = sla.sweep(until + timedelta(days=30), dry_run=True)["acts"]
        assert [a["kind"] for a in dry] == ["resume"]
        # At the date the clock restarts and the deadline has moved on by the paused time.
        report = sla.sweep(until)["acts"]
        assert [a["kind"] for a in report] == ["resume"]
        t = ticket(number)
        db.session.refresh(t)
        assert t.paused_until is None and t.resolve_due == due + (until - paused_at)
    view = get(client, number, agent)
    assert view["paused_until"] is None and view["events"][-1]["action"] == "resume"


def test_an_action_resumes_early_and_overdue_figures_skip_paused(app, client, new_ticket, staff):
    number, agent, supervisor = accepted(client, new_ticket, staff)
    with app.app_context():
        # The clock ran out an hour ago; a pause takes it off the overdue list.
        db.session.execute(
            update(Ticket)
            .where(Ticket.number == number)
            .values(resolve_due=utcnow() - timedelta(hours=1))
        )
        db.session.commit()
    overdue = client.get("/api/v1/overdue", headers=supervisor).json
    assert [i["number"] for i in overdue["items"]] == [number] and overdue["paused"] == 0
    act(client, number, agent, action="request_pause", reason="other", until=in_days(3))
    act(client, number, supervisor, action="decide_pause", approve=True)
    overdue = client.get("/api/v1/overdue", headers=supervisor).json
    assert overdue["items"] == [] and overdue["paused"] == 1
    total = client.get("/api/v1/stats/rates", headers=supervisor).json["total"]
    assert (total["overdue"], total["paused"]) == (0, 1)
    # A supervisor's note leaves it paused; the department's own action restarts it.
    act(client, number, supervisor, action="note", text="已知悉")
    assert get(client, number, agent)["paused_until"] == in_days(3)
    resumed = act(client, number, agent, action="note", text="市民已提供材料")
    assert resumed["paused_until"] is None
    assert [e["action"] for e in resumed["events"][-2:]] == ["resume", "note"]
    assert resumed["events"][-2]["data"]["early"] is True


def test_pauses_are_capped_and_can_be_refused(client, new_ticket, staff):
    number, agent, supervisor = accepted(client, new_ticket, staff)
    for _ in range(2):
        act(client, number, agent, action="request_pause", reason="seasonal", until=in_days(2))
        act(client, number, supervisor, action="decide_pause", approve=True)
        act(client, number, agent, action="note", text="恢复办理")
    capped = act(
        client, number, agent, 409, action="request_pause", reason="seasonal", until=in_days(2)
    )
    assert capped["error"]["code"] == "pause_limit"
    other, agent2, _ = accepted(client, new_ticket, staff)
    act(client, other, agent2, action="request_pause", reason="seasonal", until=in_days(2))
    refused = act(client, other, supervisor, action="decide_pause", approve=False, reason="不符合")
    assert refused["paused_until"] is None and refused["pause_count"] == 0
    act(client, other, supervisor, 409, action="decide_pause", approve=True)


def test_paused_until_is_a_local_date(app, client, new_ticket, staff):
    number, agent, supervisor = accepted(client, new_ticket, staff)
    act(client, number, agent, action="request_pause", reason="seasonal", until=in_days(4))
    act(client, number, supervisor, action="decide_pause", approve=True)
    with app.app_context():
        stored = ticket(number).paused_until
    # Midnight in Chengdu is 16:00 UTC the day before.
    assert stored == datetime.fromisoformat(in_days(3)).replace(hour=16)
