"""The department inbox pages its tabs: the most pressing first, the rest a click away."""

from __future__ import annotations

from sqlalchemy import update

from hotline.core.extensions import db
from hotline.tickets.models import Ticket
from hotline.web.department import INBOX_SIZE
from tests.support.plugin import DEPT


def test_a_busy_tab_is_paged(app, signin, new_ticket, act_as):
    numbers = []
    for _ in range(INBOX_SIZE + 3):
        number = new_ticket()
        act_as(number, action="dispatch", department=DEPT)
        numbers.append(number)
    with app.app_context():  # one urgent: it leads the first page whatever its deadline
        db.session.execute(update(Ticket).where(Ticket.number == numbers[-1]).values(urgent=True))
        db.session.commit()
    agent = signin("agent", department=DEPT)
    first = agent.get("/department?state=dispatched").text
    assert first.count('class="ticket-no"') == INBOX_SIZE
    assert numbers[-1] in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "1 / 2" in first
    second = agent.get("/department?state=dispatched&page=2").text
    assert second.count('class="ticket-no"') == 3 and 'rel="prev"' in second
    assert 'rel="next"' not in second
    on_first = {n for n in numbers if n in first}
    on_second = {n for n in numbers if n in second}
    assert on_first | on_second == set(numbers) and not on_first & on_second
    # Nonsense pages are a page (the first, or an empty one past the end), never an error.
    for page in ("0", "-3", "x", "99999"):
        assert agent.get(f"/department?state=dispatched&page={page}").status_code == 200
