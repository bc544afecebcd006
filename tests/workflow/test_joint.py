"""Joint handling (主办/协办): one lead, assisting parts on their own clocks, one reply."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hotline.core.timeutil import utcnow
from hotline.sla import operations as sla
from hotline.tickets.models import TicketPart
from tests.support.sla import ticket
from tests.workflow.helpers import ASSIST, LEAD, OTHER, PHONE, act, get, part


def joint(client, new_ticket, staff, assisting=(ASSIST,)):
    operator = staff("operator")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=LEAD, assisting=list(assisting))
    return number, operator


def test_dispatch_with_assisting_parts(app, client, new_ticket, staff):
    from tests.support.sla import messages_to, set_duty_phone

    set_duty_phone(app, ASSIST, "13900000077")
    number, operator = joint(client, new_ticket, staff, (ASSIST, OTHER, ASSIST))
    with app.app_context():
        assert messages_to("13900000077") == ["department_dispatch"]
    view = get(client, number, operator)
    assert view["status"] == "dispatched"
    roles = [(p["department"], p["role"], p["status"]) for p in view["parts"]]
    assert roles == [
        (LEAD, "lead", "dispatched"),
        (ASSIST, "assist", "dispatched"),
        (OTHER, "assist", "dispatched"),
    ]
    for p in view["parts"]:
        assert p["sign_due"] and p["resolve_due"] is None and p["reply"] is None
    assert view["events"][-1]["data"]["assisting"] == [ASSIST, OTHER]
    # The lead cannot also assist, and an unknown department is refused: nothing changes.
    again = new_ticket()
    bad = act(client, again, operator, 422, action="dispatch", department=LEAD, assisting=[LEAD])
    assert bad["error"]["fields"] == {"assisting": ["the lead department cannot also assist"]}
    act(client, again, operator, 422, action="dispatch", department=LEAD, assisting=["nope"])
    assert get(client, again, operator)["status"] == "received"


def test_parts_then_one_reply_and_the_residents_rating(client, new_ticket, staff):
    number, operator = joint(client, new_ticket, staff)
    lead = staff("agent", department=LEAD)
    helper = staff("agent", department=ASSIST)
    # The assisting department sees the ticket, in its list too, and acts on its own part.
    assert number in [
        t["number"] for t in client.get("/api/v1/tickets", headers=helper).json["items"]
    ]
    assert get(client, number, helper)["allowed_actions"] == ["sign", "note"]
    signed = act(client, number, helper, action="sign")
    assert signed["status"] == "dispatched"  # the ticket's state is the lead's
    assert part(signed, ASSIST)["status"] == "accepted" and part(signed, ASSIST)["resolve_due"]
    act(client, number, helper, action="note", text="已到现场查看")
    act(client, number, helper, 403, action="resolve", reply="x")
    act(client, number, helper, 403, action="return", reason="x")
    act(client, number, lead, action="sign")
    # The lead waits for the parts, or says why it does not.
    refused = act(client, number, lead, 409, action="resolve", reply="已处理")
    assert refused["error"]["code"] == "parts_open"
    done = act(client, number, helper, action="contribute", text="社区已劝离摊贩并登记")
    assert part(done, ASSIST)["status"] == "contributed"
    assert part(done, ASSIST)["reply"] == "社区已劝离摊贩并登记"
    act(client, number, helper, 409, action="contribute", text="again")
    resolved = act(client, number, lead, action="resolve", reply="联合社区清理占道摊点")
    assert resolved["status"] == "resolved"
    public = client.get(f"/api/v1/track/{number}?phone={PHONE}").json
    assert public["reply"] == "联合社区清理占道摊点"
    rated = client.post(
        f"/api/v1/track/{number}/rate", json={"phone": PHONE, "rating": "satisfied"}
    )
    assert rated.status_code == 200 and rated.json["rating"] == "satisfied"
    actions = [e["action"] for e in get(client, number, operator)["events"]]
    assert actions[-6:] == ["part_sign", "part_note", "sign", "part_contribute", "resolve", "rate"]


def test_lead_resolves_with_a_reason_while_a_part_is_out(client, new_ticket, staff):
    number, operator = joint(client, new_ticket, staff)
    lead = staff("agent", department=LEAD)
    act(client, number, lead, action="sign")
    view = act(
        client, number, lead, action="resolve", reply="已处理", parts_reason="协办单位无需参与"
    )
    assert view["status"] == "resolved"
    assert part(view, ASSIST)["status"] == "withdrawn"
    assert view["events"][-1]["data"]["withdrawn"] == [ASSIST]


def test_each_part_runs_its_own_clock(app, client, new_ticket, staff):
    number, operator = joint(client, new_ticket, staff)
    lead = staff("agent", department=LEAD)
    act(client, number, lead, action="sign")
    with app.app_context():
        t = ticket(number)
        due = t.parts[0].sign_due
        report = sla.sweep(due + timedelta(seconds=1))["acts"]
        assert [(a["kind"], a.get("department")) for a in report] == [("overdue", ASSIST)]
        assert sla.sweep(due + timedelta(seconds=2))["acts"] == []
        t = ticket(number)
        from hotline.core.extensions import db

        db.session.refresh(t)
        assert t.escalation_level is None  # the lead signed in time
        assert db.session.get(TicketPart, t.parts[0].id).escalation_level == "district"
        # The overdue list reads the clock now: move the part's deadline into the past.
        db.session.execute(update(TicketPart).values(sign_due=utcnow() - timedelta(hours=1)))
        db.session.commit()
    view = get(client, number, operator)
    assert part(view, ASSIST)["escalation_level"] == "district"
    overdue = client.get("/api/v1/overdue", headers=operator).json
    assert overdue["items"] == []
    assert [(p["number"], p["department"]["code"]) for p in overdue["parts"]] == [(number, ASSIST)]


def test_rates_count_each_departments_own_part(app, client, new_ticket, staff):
    number, operator = joint(client, new_ticket, staff)
    helper = staff("agent", department=ASSIST)
    act(client, number, helper, action="sign")
    act(client, number, helper, action="contribute", text="已配合")
    rows = client.get("/api/v1/stats/rates?by=department", headers=operator).json["items"]
    helped = next(r for r in rows if r["key"] == ASSIST)
    assert (helped["dispatched"], helped["signed_in_time"], helped["response_rate"]) == (1, 1, 1.0)
    assert (helped["assisted"], helped["assisted_on_time"]) == (1, 1)
    led = next(r for r in rows if r["key"] == LEAD)
    assert led["assisted"] == 0 and led["received"] == 1


def test_router_proposes_assisting_where_the_evidence_points_to_two(client, new_ticket, staff):
    # Two matters in other words: the water is off, and a stall blocks the gate.
    number = new_ticket(description="小区停水三天了没人管，门口还有人占道经营摆摊")
    operator = staff("operator")
    proposal = get(client, number, operator)["routing"]
    lead = proposal["department"]["code"]
    assert lead == "510107005-urban_management"
    [assist] = [a["code"] for a in proposal["assisting"]]
    assert assist.endswith("-water")
    # One operator action: accepting the proposal dispatches the lead and the assisting part.
    view = act(client, number, operator, action="dispatch")
    assert [(p["department"], p["role"]) for p in view["parts"]] == [
        (lead, "lead"), (assist, "assist"),
    ]  # fmt: skip
    # A message about one matter gets no assisting proposal.
    single = new_ticket()
    assert "assisting" not in get(client, single, operator)["routing"]
