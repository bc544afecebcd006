"""The search page of the consoles, saved filters, and the supervisors' all-tickets and 临期 lists."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

from sqlalchemy import select, update

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.search.models import SavedFilter
from hotline.tickets.models import Ticket
from tests.support.plugin import DEPT, OTHER_DEPT


def _dispatch(client, staff, number, department=DEPT):
    op = staff("operator")
    response = client.post(f"/api/v1/tickets/{number}/actions", headers=op,
                           json={"action": "dispatch", "department": department, "reason": "属地"})  # fmt: skip
    assert response.status_code == 200, response.json


def test_search_page_by_word_and_last_four_digits(app, client, signin, staff, new_ticket):
    noise = new_ticket(description="广场舞噪音扰民", phone="13900004321")
    water = new_ticket(description="小区停水三天", phone="13800001234")
    op = signin("operator")
    page = op.get("/search?q=噪音").get_data(as_text=True)
    assert f'id="row-{noise}"' in page and f'id="row-{water}"' not in page
    page = op.get("/search?q=1234").get_data(as_text=True)
    assert f'id="row-{water}"' in page and f'id="row-{noise}"' not in page
    assert "13800001234" in page  # operators see the whole number
    assert op.get("/search?status=bogus").status_code == 400
    # Every console carries the search box.
    for path in ("/operator",):
        assert 'action="/search"' in op.get(path).get_data(as_text=True)
    _dispatch(client, staff, water)
    agent = signin("agent", department=DEPT)
    assert 'action="/search"' in agent.get("/department").get_data(as_text=True)
    page = agent.get("/search?q=停水").get_data(as_text=True)
    assert f'id="row-{water}"' in page
    other = signin("agent", department=OTHER_DEPT)
    assert f'id="row-{water}"' not in other.get("/search?q=停水").get_data(as_text=True)


def test_saved_filters_are_per_user(app, signin):
    op = signin("operator")
    response = op.post("/search/saved", data={"name": "我的噪音", "path": "/search",
                       "query": "q=噪音&urgent=true"})  # fmt: skip
    assert response.status_code == 303
    assert unquote(response.location).endswith("/search?q=噪音&urgent=true")
    page = op.get("/search").get_data(as_text=True)
    assert "我的噪音" in page and 'href="/search?q=噪音&amp;urgent=true"' in page
    other = signin("operator")
    assert "我的噪音" not in other.get("/search").get_data(as_text=True)
    with app.app_context():
        saved = db.session.scalar(select(SavedFilter))
        saved_id = saved.id
        db.session.remove()
    assert other.post(f"/search/saved/{saved_id}/delete").status_code == 404
    assert op.post(f"/search/saved/{saved_id}/delete").status_code == 303
    assert "我的噪音" not in op.get("/search").get_data(as_text=True)
    bad = op.post("/search/saved", data={"name": "", "path": "/search", "query": ""})
    assert bad.status_code in (303, 400)


def test_supervisor_all_tickets_and_due_soon(app, client, signin, staff, new_ticket):
    soon, later, late, fresh = (new_ticket() for _ in range(4))
    for number in (soon, later, late):
        _dispatch(client, staff, number)
    now = utcnow()
    with app.app_context():
        for number, due, next_at in (
            (soon, now + timedelta(hours=1), now + timedelta(hours=1)),  # warned: 临期
            (later, now + timedelta(days=1), now + timedelta(hours=12)),  # not yet
            (late, now - timedelta(hours=1), now - timedelta(hours=1)),  # overdue already
        ):
            db.session.execute(update(Ticket).where(Ticket.number == number)
                               .values(sign_due=due, sla_next_at=next_at))  # fmt: skip
        db.session.commit()
        db.session.remove()
    supervisor = signin("supervisor", org_unit="5101")
    page = supervisor.get("/supervisor/tickets").get_data(as_text=True)
    assert all(f'id="row-{n}"' in page for n in (soon, later, late, fresh))
    page = supervisor.get("/supervisor/due-soon").get_data(as_text=True)
    assert f'id="row-{soon}"' in page
    assert not any(f'id="row-{n}"' in page for n in (later, late, fresh))
    assert signin("operator").get("/supervisor/due-soon").status_code == 403
    api = staff("supervisor", org_unit="5101")
    listed = client.get("/api/v1/tickets?due_soon=true", headers=api).json["items"]
    assert [t["number"] for t in listed] == [soon]
    listed = client.get("/api/v1/tickets?overdue=true", headers=api).json["items"]
    assert [t["number"] for t in listed] == [late]
