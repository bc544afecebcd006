"""Every correction is a labelled example; `rules stats` counts first-time-right per rule."""

from __future__ import annotations

import json

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.routing.feedback import rebuild
from hotline.routing.models import RoutingFeedback
from hotline.tickets.models import Ticket
from tests.learning.conftest import AGRICULTURE, ENVIRONMENT, VENDORS, WATER


def _rows(lapp):
    with lapp.app_context():
        rows = db.session.execute(
            select(Ticket.number, RoutingFeedback).join(
                Ticket, Ticket.id == RoutingFeedback.ticket_id
            )
        ).all()
        out = {
            number: {
                c.name: getattr(row, c.name)
                for c in RoutingFeedback.__table__.columns
                if c.name != "id"
            }
            for number, row in rows
        }
        db.session.remove()
    return out


def _history(file, act, operator, admin):
    """Four tickets: stayed, overridden, returned after dispatch, transferred after dispatch."""
    stayed = file("小区停水两天了")
    act(stayed, operator, action="dispatch")
    overridden = file("楼下烧烤摊占道经营，油烟很大")
    act(overridden, operator, action="dispatch", department=VENDORS, reason="流动摊贩归城管")
    returned = file("又停水了")
    act(returned, operator, action="dispatch")
    act(returned, admin, action="return", reason="不属于本单位")
    moved = file("餐馆油烟直排")
    act(moved, operator, action="dispatch")
    act(moved, admin, action="transfer", department=AGRICULTURE, reason="转农业")
    waiting = file("农田被占")
    return stayed, overridden, returned, moved, waiting


def test_each_outcome_is_recorded_as_a_labelled_example(lapp, file, act, operator, admin):
    stayed, overridden, returned, moved, waiting = _history(file, act, operator, admin)
    rows = _rows(lapp)
    assert rows[stayed]["rule"] == "t.water" and rows[stayed]["as_proposed"] is True
    assert rows[stayed]["corrected"] is False and rows[stayed]["final_function"] == "water"
    assert rows[stayed]["final_department"] == WATER
    over = rows[overridden]
    assert (over["rule"], over["proposed_department"], over["as_proposed"]) == (
        "t.fumes",
        ENVIRONMENT,
        False,
    )
    assert over["reason"] == "流动摊贩归城管"
    assert (over["final_function"], over["final_level"]) == ("urban_management", "township")
    back = rows[returned]
    assert back["as_proposed"] is True and back["corrected"] is True
    assert back["correction"] == "return" and back["final_department"] is None
    move = rows[moved]
    assert move["correction"] == "transfer" and move["final_function"] == "agriculture"
    assert rows[waiting]["dispatched_at"] is None and rows[waiting]["rule"] == "t.rural"


def test_rules_stats_per_rule_and_function(lapp, file, act, operator, admin, cli):
    _history(file, act, operator, admin)
    result = cli("rules", "stats", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    by_rule = {r["rule"]: r for r in lines if r["by"] == "rule"}
    water = by_rule["t.water"]
    assert (water["proposals"], water["dispatched"], water["as_proposed"], water["stayed"]) == (
        2,
        2,
        2,
        1,
    )
    assert water["rate"] == 0.5
    fumes = by_rule["t.fumes"]
    assert (fumes["proposals"], fumes["dispatched"], fumes["as_proposed"], fumes["stayed"]) == (
        2,
        2,
        1,
        0,
    )
    assert fumes["overridden"] == 1 and fumes["rate"] == 0.0
    assert by_rule["t.rural"]["dispatched"] == 0 and by_rule["t.rural"]["rate"] is None
    by_function = {r["function"]: r for r in lines if r["by"] == "function"}
    assert by_function["environment"]["proposals"] == 2
    assert by_function["water"]["stayed"] == 1

    table = cli("rules", "stats")
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines() if line.startswith("t.water "))
    assert row.split()[1:] == ["2", "2", "2", "1", "50.0%"]
    assert any(line.startswith("function ") for line in table.output.splitlines())


def test_feedback_is_rebuilt_identically_from_the_timeline(lapp, file, act, operator, admin, cli):
    _history(file, act, operator, admin)
    before = _rows(lapp)
    with lapp.app_context():
        assert rebuild() == len(before)
        db.session.remove()
    assert _rows(lapp) == before
    result = cli("rules", "feedback-rebuild")
    assert result.exit_code == 0 and f"{len(before)} ticket(s)" in result.output


def test_a_redispatch_after_return_keeps_the_first_judgement(lapp, file, act, operator, admin):
    number = file("停水一整天")
    act(number, operator, action="dispatch")
    act(number, admin, action="return", reason="非本单位")
    act(number, operator, action="dispatch", department=VENDORS, reason="属街道")
    row = _rows(lapp)[number]
    assert row["as_proposed"] is True and row["corrected"] is True
    assert row["dispatched_department"] == WATER and row["final_department"] == VENDORS


def test_an_event_attached_by_id_is_folded_too(lapp, file, act, operator):
    from hotline.tickets.models import TicketEvent

    number = file("停水一整天")
    with lapp.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        data = {"department": WATER, "proposed": WATER, "override": False}
        db.session.add(TicketEvent(ticket_id=ticket.id, action="dispatch", actor="t", data=data))
        db.session.commit()
        db.session.remove()
    row = _rows(lapp)[number]
    assert row["as_proposed"] is True and row["dispatched_department"] == WATER
