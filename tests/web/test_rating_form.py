"""The rating forms (portal, follow-up, ticket page) choose no rating in advance."""

from __future__ import annotations

from typing import Any

from tests.support.plugin import DEPT


def resolved_ticket(new_ticket: Any, act_as: Any) -> str:
    number = new_ticket()
    act_as(number, action="dispatch", department=DEPT)
    act_as(number, action="sign")
    act_as(number, action="resolve", reply="已清理占道摊点。")
    return number


def test_no_rating_is_chosen_in_advance(client, nocsrf, signin, new_ticket, act_as):
    number = resolved_ticket(new_ticket, act_as)
    proof = client.post("/track", data={"number": number, "phone": "13812345678"})
    assert proof.status_code in (302, 303)
    portal = client.get(f"/track/{number}").text
    form = portal.split('id="rate-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="rating"' in form and "checked" not in form
    refused = client.post(f"/track/{number}/rate", data={"comment": "没选"})
    assert refused.status_code != 303
    assert 'id="rate-form"' in client.get(f"/track/{number}").text  # still unrated
    operator = signin("operator")
    follow = operator.get("/operator/follow-up").text
    select = follow.split('<select name="rating"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected disabled>' in select
    assert "selected" not in select.split('value=""', 1)[1].split("</option>", 1)[1]
    page = operator.get(f"/tickets/{number}").text
    rate = page.split('data-action="rate"', 1)[1].split("</form>", 1)[0]
    assert 'name="rating"' in rate and "checked" not in rate
