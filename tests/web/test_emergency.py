"""An emergency is answered with where to call, not dispatched; a false alarm can be."""

from __future__ import annotations

from tests.support.plugin import DEPT
from tests.support.web import status_of


def test_emergency_is_answered_not_dispatched(app, signin, new_ticket):
    fire = new_ticket(description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    plain = new_ticket()
    client = signin("operator")
    page = client.get("/operator").text
    fire_row = page.split(f'id="row-{fire}"', 1)[1].split("</tr>", 1)[0]
    plain_row = page.split(f'id="row-{plain}"', 1)[1].split("</tr>", 1)[0]
    assert "一键派单" not in fire_row and 'data-action="emergency"' in fire_row
    assert "已引导拨打" in fire_row and "119" in fire_row
    assert "改派其他单位" in fire_row  # for the rare false positive
    assert "一键派单" in plain_row and "已引导拨打" not in plain_row
    client.post(f"/operator/{fire}/dispatch", data={})  # no one-click dispatch, even by hand
    assert status_of(app, fire) == "received"
    done = client.post(f"/operator/{fire}/emergency", data={})
    assert done.status_code == 303
    assert status_of(app, fire) == "answered"
    ticket = client.get(f"/tickets/{fire}").text
    assert "立即挂机拨打119" in ticket and "本热线不受理紧急警情" in ticket
    assert f'id="row-{fire}"' not in client.get("/operator").text


def test_emergency_false_positive_can_still_be_dispatched_elsewhere(app, signin, new_ticket):
    fire = new_ticket(description="小区3栋楼道着火了，浓烟很大，有人被困", type="help")
    client = signin("operator")
    ok = client.post(
        f"/operator/{fire}/dispatch",
        data={"department": DEPT, "reason": "市民描述的是三天前的火情，现求助清理楼道"},
    )
    assert ok.status_code == 303
    assert status_of(app, fire) == "dispatched"
