"""The ticket page opens the action that is due and says why the core refused one."""

from __future__ import annotations

import re
from typing import Any

from tests.support.plugin import DEPT


def details(page: str) -> dict[str, bool]:
    """The action forms of the ticket page: action -> open by default."""
    found = re.findall(r'<details class="inline-form" data-action="(\w+)" (open)?', page)
    return {action: bool(is_open) for action, is_open in found}


def flashed(client: Any, number: str, data: dict[str, str]) -> str:
    response = client.post(
        f"/tickets/{number}/act",
        data=data,
        headers={"Referer": f"http://localhost/tickets/{number}"},
    )
    assert response.status_code == 303
    return client.get(f"/tickets/{number}").text


def test_ticket_page_offers_what_the_extension_allows(signin, new_ticket, act_as):
    number = new_ticket()
    operator = signin("operator")
    forms = details(operator.get(f"/tickets/{number}").text)
    assert forms["dispatch"] and not any(v for k, v in forms.items() if k != "dispatch")
    act_as(number, action="dispatch", department=DEPT)
    agent = signin("agent", DEPT)
    forms = details(agent.get(f"/tickets/{number}").text)
    assert forms["sign"] and not forms["return"]
    act_as(number, "agent", action="sign")
    supervisor = signin("supervisor", org_unit="5101")
    assert "decide_extension" not in details(supervisor.get(f"/tickets/{number}").text)
    forms = details(agent.get(f"/tickets/{number}").text)
    assert forms["resolve"] and "request_extension" in forms and not forms["request_extension"]
    act_as(number, "agent", action="request_extension", days=2, reason="需联合市场监管")
    page = agent.get(f"/tickets/{number}").text
    assert "request_extension" not in details(page)
    assert "待审批" in page and "()" not in page
    inbox = agent.get("/department?state=accepted").text
    assert "延期申请中" in inbox and inbox.count('data-action="request_extension"') == 0
    assert "decide_extension" in details(supervisor.get(f"/tickets/{number}").text)


def test_refusals_say_the_cores_reason(signin, new_ticket, act_as):
    number = new_ticket()
    operator = signin("operator")
    other = signin("operator")
    page = operator.get(f"/tickets/{number}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    other.post(f"/operator/{number}/dispatch", data={})  # someone else dispatches first
    text = flashed(operator, number, {"action": "dispatch", "version": version})
    assert "已被他人派单" in text
    text = flashed(operator, number, {"action": "note", "text": "x", "version": version})
    assert "工单刚被他人修改" in text
    agent = signin("agent", DEPT)
    act_as(number, "agent", action="sign")
    data = {"action": "request_extension", "days": "2", "reason": "需联合市场监管"}
    assert "待审批" in flashed(agent, number, data)
    assert "已有延期申请待审批" in flashed(agent, number, data)
    supervisor = signin("supervisor", org_unit="5101")
    decide = {"action": "decide_extension", "approve": "true", "reason": "同意"}
    flashed(supervisor, number, decide)
    assert "没有待审批的延期申请" in flashed(supervisor, number, decide)
