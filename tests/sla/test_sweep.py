"""The SLA sweep as of given times: warnings, red cards, escalation up the levels, exactly once."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from hotline.core.actors import SYSTEM
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.sla import operations
from hotline.sla.models import SlaMark
from hotline.tickets.models import TicketEvent
from tests.support.sla import (
    COMMUNITY_DEPT,
    DUTY_PHONE,
    act,
    make_due,
    messages_to,
    set_duty_phone,
    sla_events,
    supervisor,
    ticket,
)


def dispatched(client, new_ticket, staff):
    operator = staff("operator")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=COMMUNITY_DEPT)
    return number, operator


def test_red_card_then_one_level_per_period_never_twice(app, client, new_ticket, staff):
    set_duty_phone(app)
    supervisor(app, "510107005", "13900000002")  # township above the community
    supervisor(app, "510107", "13900000003")  # district
    supervisor(app, "510107001", "13900000009")  # another township: never told
    number, _ = dispatched(client, new_ticket, staff)
    with app.app_context():
        due = ticket(number).sign_due
        result = operations.sweep(due + timedelta(seconds=1))
        assert [a["kind"] for a in result["acts"]] == ["overdue"]
        assert sla_events(number) == [("overdue", "sign", "township")]
        t = ticket(number)
        assert (t.escalation_level, t.escalation_count) == ("township", 1)
        assert t.sla_next_at > due  # the next level's moment, one working day on
        assert messages_to(DUTY_PHONE) == ["department_dispatch", "sla_overdue"]
        assert messages_to("13900000002") == ["sla_overdue"]
        assert messages_to("13900000003") == messages_to("13900000009") == []
        # The same moment again, and a re-run of the per-ticket job, do nothing.
        assert operations.sweep(due + timedelta(seconds=1))["acts"] == []
        assert operations.check_ticket(t.id, due + timedelta(seconds=2)) == []
        # A sweep ten days late catches up level by level: none skipped.
        late = operations.sweep(due + timedelta(days=10))
        assert [(a["kind"], a["level"]) for a in late["acts"]] == [
            ("escalate", "district"),
            ("escalate", "city"),
        ]
        event = db.session.scalar(select(TicketEvent).where(TicketEvent.action == "escalate"))
        assert event.actor == SYSTEM.label and event.actor_id is None
        assert set(event.data) >= {"step", "level", "due", "overdue_seconds"}
        assert event.data["overdue_seconds"] == 10 * 86400
        assert messages_to("13900000003") == ["sla_escalate"]
        assert operations.sweep(due + timedelta(days=30))["acts"] == []
        assert ticket(number).escalation_level == "city"
        assert ticket(number).sla_next_at is None
        assert db.session.scalar(select(func.count()).select_from(SlaMark)) == 3


def test_yellow_warning_at_eighty_percent(app, client, new_ticket, staff):
    set_duty_phone(app)
    number, _ = dispatched(client, new_ticket, staff)
    with app.app_context():
        t = ticket(number)
        warn_at = t.dispatched_at + (t.sign_due - t.dispatched_at) * 0.8
        assert operations.sweep(warn_at - timedelta(seconds=1))["acts"] == []
        result = operations.sweep(warn_at + timedelta(seconds=1))
        assert [a["kind"] for a in result["acts"]] == ["warning"]
        assert result["acts"][0]["remaining_seconds"] > 0
        assert ticket(number).escalation_level is None
        assert ticket(number).sla_next_at == t.sign_due
        assert messages_to(DUTY_PHONE) == ["department_dispatch", "sla_warning"]
        operations.sweep(t.sign_due + timedelta(seconds=1))
        assert sla_events(number) == [
            ("warning", "sign", "community"),
            ("overdue", "sign", "township"),
        ]


def test_signing_stops_the_clock_and_extension_moves_it(app, client, new_ticket, staff):
    number, operator = dispatched(client, new_ticket, staff)
    agent = staff("agent", department=COMMUNITY_DEPT)
    boss = staff("supervisor", org_unit="510107005")
    with app.app_context():
        sign_due = ticket(number).sign_due
        ticket_id = ticket(number).id
    act(client, number, agent, action="sign")
    with app.app_context():
        # A stale per-ticket job for the old deadline finds nothing to do.
        assert operations.check_ticket(ticket_id, sign_due + timedelta(seconds=5)) == []
        assert operations.sweep(sign_due + timedelta(seconds=5))["acts"] == []
        old_due = ticket(number).resolve_due
    act(client, number, agent, action="request_extension", days=5, reason="需协调多个部门")
    act(client, number, boss, action="decide_extension", approve=True)
    with app.app_context():
        new_due = ticket(number).resolve_due
        assert new_due > old_due
        # No red card at the old deadline: 80% of the extended limit lies beyond it.
        assert operations.sweep(old_due + timedelta(seconds=1))["acts"] == []
        signed = ticket(number).signed_at
        warn_at = signed + (new_due - signed) * 0.8 + timedelta(seconds=1)
        assert [a["kind"] for a in operations.sweep(warn_at)["acts"]] == ["warning"]
        kinds = [a["kind"] for a in operations.sweep(new_due + timedelta(seconds=1))["acts"]]
        assert kinds == ["overdue"]
        assert sla_events(number)[-1] == ("overdue", "resolve", "township")


def test_followup_window_closes_unrated(app, client, new_ticket, staff):
    number, operator = dispatched(client, new_ticket, staff)
    agent = staff("agent", department=COMMUNITY_DEPT)
    act(client, number, agent, action="sign")
    act(client, number, agent, action="resolve", reply="已处理")
    answered = new_ticket()
    act(client, answered, operator, action="answer", reply="已电话答复政策")
    with app.app_context():
        due = max(ticket(number).followup_due, ticket(answered).followup_due)
        assert operations.sweep(due - timedelta(minutes=1), dry_run=True)["acts"] == []
        kinds = [a["kind"] for a in operations.sweep(due + timedelta(seconds=1))["acts"]]
        assert kinds == ["close", "close"]
        for n in (number, answered):
            t = ticket(n)
            assert t.status == "closed" and t.rating is None and t.sla_next_at is None
            last = t.events[-1]
            assert (last.action, last.actor, last.data["reason"]) == (
                "close",
                "system",
                "followup_expired",
            )
        assert operations.sweep(due + timedelta(days=9))["acts"] == []


def test_cli_dry_run_changes_nothing(app, client, new_ticket, staff):
    number, _ = dispatched(client, new_ticket, staff)
    with app.app_context():
        at = ticket(number).sign_due + timedelta(days=3)
    runner = app.test_cli_runner()
    stamp = at.isoformat() + "+00:00"
    dry = runner.invoke(args=["sla", "sweep", "--at", stamp, "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert planned["dry_run"] is True
    assert [a["kind"] for a in planned["acts"]] == ["overdue", "escalate", "escalate"]
    with app.app_context():
        assert sla_events(number) == []
    # Acting on a future moment would red-card tickets before their deadline: refused.
    future = runner.invoke(args=["sla", "sweep", "--at", stamp, "--json"])
    assert future.exit_code == 2 and "--dry-run" in future.output
    with app.app_context():
        assert sla_events(number) == []
        make_due([ticket(number).id], utcnow() - timedelta(days=10))
    done = json.loads(runner.invoke(args=["sla", "sweep", "--json"]).output)
    assert [a["kind"] for a in done["acts"]] == ["overdue", "escalate", "escalate"]
    with app.app_context():
        assert len(sla_events(number)) == 3
    bad = runner.invoke(args=["sla", "sweep", "--at", "tomorrow"])
    assert bad.exit_code == 2 and "ISO 8601" in bad.output


def test_approved_extension_gets_its_own_warning_and_red_card(app, client, new_ticket, staff):
    operator = staff("operator")
    agent = staff("agent", department=COMMUNITY_DEPT)
    supervisor = staff("supervisor", org_unit="5101")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=COMMUNITY_DEPT)
    act(client, number, agent, action="sign")
    with app.app_context():
        due = ticket(number).resolve_due
        operations.sweep(due + timedelta(seconds=1))
        assert [e[0] for e in sla_events(number)] == ["overdue"]
    act(client, number, agent, action="request_extension", days=3, reason="需协调")
    act(client, number, supervisor, action="decide_extension", approve=True)
    with app.app_context():
        new_due = ticket(number).resolve_due
        assert new_due > due
        operations.sweep(new_due - timedelta(seconds=1))
        operations.sweep(new_due + timedelta(seconds=1))
        kinds = [e[0] for e in sla_events(number)]
    assert kinds == ["overdue", "warning", "overdue"], kinds
