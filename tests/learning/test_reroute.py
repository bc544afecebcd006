"""Changed facts: operators edit description and place; new words re-route undispatched tickets."""

from __future__ import annotations

from hotline.core.extensions import db
from hotline.tickets import operations
from hotline.twilio.operations import add_resident_note
from tests.learning.conftest import COMMUNITY, ENVIRONMENT, VENDORS, WATER


def _ticket(lclient, operator, number):
    return lclient.get(f"/api/v1/tickets/{number}", headers=operator).json


def test_editing_the_description_records_from_to_and_reroutes(lclient, file, act, operator):
    number = file("楼下餐馆的油烟很大")
    assert _ticket(lclient, operator, number)["routing"]["rule"] == "t.fumes"
    done = act(number, operator, action="edit", description="楼下一直停水", reason="市民口误更正")
    edit, reroute = done["events"][-2:]
    assert edit["action"] == "edit" and edit["actor"] != "system"
    assert edit["data"]["changes"]["description"] == {
        "from": "楼下餐馆的油烟很大",
        "to": "楼下一直停水",
    }
    assert edit["data"]["reason"] == "市民口误更正"
    assert reroute["action"] == "reroute" and reroute["data"]["cause"] == "edit"
    assert reroute["data"]["previous"]["rule"] == "t.fumes"
    assert reroute["data"]["rule"] == "t.water"
    assert done["routing"]["department"]["code"] == WATER and done["description"] == "楼下一直停水"
    assert done["status"] == "received"
    # One-click dispatch now takes the new proposal.
    assert act(number, operator, action="dispatch")["department"]["code"] == WATER


def test_editing_the_place_moves_the_proposal(lclient, file, act, operator):
    number = file("路边有人占道经营", community_code=None, address="锦江区")
    before = _ticket(lclient, operator, number)["routing"]
    assert before["place"]["district"] == "510104"
    done = act(number, operator, action="edit", address="武侯区玉林街道", reason="地址记错")
    edit = [e for e in done["events"] if e["action"] == "edit"][0]
    assert edit["data"]["changes"]["address"] == {"from": "锦江区", "to": "武侯区玉林街道"}
    assert done["routing"]["department"]["code"] == VENDORS
    assert done["org_unit"]["code"] == "510107005"

    done = act(number, operator, action="edit", community_code=COMMUNITY, reason="精确到社区")
    edit = done["events"][-1] if done["events"][-1]["action"] == "edit" else done["events"][-2]
    assert edit["data"]["changes"]["org_unit"] == {"from": "510107005", "to": COMMUNITY}
    assert done["org_unit"]["code"] == COMMUNITY


def test_a_refused_edit_changes_nothing(lclient, file, act, operator):
    number = file("楼下餐馆的油烟很大")
    before = _ticket(lclient, operator, number)
    same = act(number, operator, expect=422, action="edit", description="楼下餐馆的油烟很大",
               reason="无变化")  # fmt: skip
    assert "description" in same["error"]["fields"]
    unknown = act(number, operator, expect=422, action="edit", community_code="510107999999",
                  reason="社区")  # fmt: skip
    assert "community_code" in unknown["error"]["fields"]
    no_reason = act(number, operator, expect=400, action="edit", description="停水")
    assert "reason" in no_reason["error"]["fields"]
    assert _ticket(lclient, operator, number) == before


def test_a_dispatched_ticket_is_edited_but_not_rerouted(lclient, file, act, operator):
    number = file("楼下餐馆的油烟很大")
    act(number, operator, action="dispatch")
    done = act(number, operator, action="edit", description="楼下一直停水", reason="更正")
    assert done["events"][-1]["action"] == "edit"
    assert done["routing"]["rule"] == "t.fumes" and done["department"]["code"] == ENVIRONMENT


def test_a_call_back_note_reroutes_a_ticket_still_waiting(lclient, file, act, operator, admin):
    number = file("家门口的问题一直没人管", community_code=None)
    assert _ticket(lclient, operator, number)["routing"]["rule"] is None
    done = act(number, operator, action="note", text="回访：市民说是武侯区玉林街道一直停水")
    reroute = done["events"][-1]
    assert reroute["action"] == "reroute" and reroute["data"]["cause"] == "note"
    assert done["routing"]["rule"] == "t.water" and done["routing"]["place"]["township"]
    # A note that changes nothing adds no proposal.
    again = act(number, operator, action="note", text="市民很着急")
    assert again["events"][-1]["action"] == "note"
    # A returned ticket is waiting too.
    act(number, operator, action="dispatch")
    act(number, admin, action="return", reason="不属于本单位")
    moved = act(number, operator, action="note", text="市民补充：餐馆油烟")
    assert moved["events"][-1]["action"] == "reroute"


def test_a_second_sms_merged_as_a_note_reroutes(lapp, lclient, file, operator):
    number = file("有个问题想反映一下", community_code=None)
    with lapp.app_context():
        ticket = operations.get_ticket(number, operations.RESIDENT)
        add_resident_note(ticket, "补充：武侯区玉林街道的餐馆油烟很大", "SM0001")
        db.session.remove()
    ticket = _ticket(lclient, operator, number)
    assert [e["action"] for e in ticket["events"]][-2:] == ["resident_note", "reroute"]
    assert ticket["routing"]["rule"] == "t.fumes"
    assert ticket["events"][-1]["data"]["cause"] == "resident_note"


def test_the_ticket_page_offers_the_edit_form(lapp, file, signin, lclient, operator):
    number = file("楼下餐馆的油烟很大", address="玉林北路1号")
    web = signin("operator")
    page = web.get(f"/tickets/{number}").get_data(as_text=True)
    assert 'data-action="edit"' in page and "更正事实" in page and "玉林北路1号" in page
    response = web.post(
        f"/tickets/{number}/act",
        data={"action": "edit", "description": "楼下停水", "address": "玉林北路1号",
              "community_code": COMMUNITY, "reason": "更正"},
    )  # fmt: skip
    assert response.status_code == 303
    ticket = _ticket(lclient, operator, number)
    edit = [e for e in ticket["events"] if e["action"] == "edit"][0]
    assert list(edit["data"]["changes"]) == ["description"]
    assert ticket["routing"]["rule"] == "t.water"
    page = web.get(f"/tickets/{number}").get_data(as_text=True)
    assert "<del>楼下餐馆的油烟很大</del> → 楼下停水" in page and "原建议" in page
    web.get("/lang/en")
    page = web.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Correct the facts" in page and "New routing proposal" in page


def test_openapi_documents_edit_and_recall(lclient):
    spec = lclient.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    edit = schemas["EditAction"]["properties"]
    assert {"description", "address", "community_code", "reason"} <= set(edit)
    assert "reason" in schemas["RecallAction"]["properties"]
