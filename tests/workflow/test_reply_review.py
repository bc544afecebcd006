"""Reviewed replies (办结审核): the centre passes a reply on or sends it back."""

from __future__ import annotations

import pytest

from hotline.tickets.review_policy import PolicyError, load_policy
from tests.support.plugin import set_reply_review
from tests.workflow.helpers import LEAD, PHONE, act, get


def accepted(client, new_ticket, staff, **fields):
    operator = staff("operator")
    number = new_ticket(**fields)
    act(client, number, operator, action="dispatch", department=LEAD)
    agent = staff("agent", department=LEAD)
    act(client, number, agent, action="sign")
    return number, agent


def test_reply_waits_for_the_reviewer_then_reaches_the_resident(
    client, new_ticket, staff, review_replies
):
    number, agent = accepted(client, new_ticket, staff)
    held = act(client, number, agent, action="resolve", reply="已清理，依据市容条例，联系人王队")
    assert held["status"] == "reviewing"
    public = client.get(f"/api/v1/track/{number}?phone={PHONE}").json
    assert public["status"] == "reviewing" and public["reply"] is None
    assert "resolve" not in [e["action"] for e in public["timeline"]]
    reviewer = staff("operator", reviewer=True)
    act(client, number, staff("operator"), 403, action="review_reply", approve=True)
    checklist = {"answer": True, "basis": True, "result": True, "contact": True}
    passed = act(client, number, reviewer, action="review_reply", approve=True, checklist=checklist)
    assert passed["status"] == "resolved" and passed["followup_due"]
    assert passed["events"][-1]["data"]["checklist"] == checklist
    public = client.get(f"/api/v1/track/{number}?phone={PHONE}").json
    assert public["reply"].startswith("已清理") and public["can_rate"] is True


def test_reply_sent_back_keeps_the_clock(client, new_ticket, staff, review_replies):
    number, agent = accepted(client, new_ticket, staff)
    due = get(client, number, agent)["resolve_due"]
    act(client, number, agent, action="resolve", reply="已处理")
    supervisor = staff("supervisor", org_unit="510107")
    act(client, number, supervisor, 400, action="review_reply", approve=False)
    back = act(
        client, number, supervisor, action="review_reply", approve=False, reason="缺少依据和联系人"
    )
    assert back["status"] == "accepted" and back["resolve_due"] == due
    assert back["reply"] is None and back["followup_due"] is None
    assert back["events"][-1]["data"]["reply"] == "已处理"
    again = act(client, number, agent, action="resolve", reply="已处理，依据……，联系人……")
    assert again["status"] == "reviewing"


def test_policy_per_type_and_sample(app, client, new_ticket, staff, tmp_path):
    policy = tmp_path / "review.yaml"
    policy.write_text("default: none\nsample_rate: 1\ntypes:\n  complaint: all\n  help: sample\n")
    from dataclasses import replace

    old = app.config["HOTLINE"]
    app.config["HOTLINE"] = replace(old, review_policy=policy, reply_review=None)
    try:
        number, agent = accepted(client, new_ticket, staff)
        assert act(client, number, agent, action="resolve", reply="x")["status"] == "reviewing"
        number, agent = accepted(client, new_ticket, staff, type="suggestion")
        assert act(client, number, agent, action="resolve", reply="x")["status"] == "resolved"
        number, agent = accepted(client, new_ticket, staff, type="help")
        assert act(client, number, agent, action="resolve", reply="x")["status"] == "reviewing"
        # The environment's mode overrides the file for every type.
        set_reply_review(app, "none")
        number, agent = accepted(client, new_ticket, staff)
        assert act(client, number, agent, action="resolve", reply="x")["status"] == "resolved"
    finally:
        app.config["HOTLINE"] = old


def test_a_bad_policy_file_is_refused(tmp_path):
    bad = tmp_path / "review.yaml"
    bad.write_text("default: sometimes\n")
    with pytest.raises(PolicyError):
        load_policy(bad)
    bad.write_text("types:\n  gossip: all\n")
    with pytest.raises(PolicyError):
        load_policy(bad)
