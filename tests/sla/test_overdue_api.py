"""The supervisors' overdue list over HTTP, as JSON and as CSV, scoped to the caller."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import update

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tickets.models import Ticket
from tests.support.sla import COMMUNITY_DEPT, act

OTHER_DEPT = "510104-urban_management"  # another district's bureau


def overdue_by(app, number: str, hours: float) -> None:
    with app.app_context():
        due = utcnow() - timedelta(hours=hours)
        db.session.execute(
            update(Ticket).where(Ticket.number == number).values(sign_due=due, sla_next_at=due)
        )
        db.session.commit()


def test_overdue_list_sorted_scoped_and_csv(app, client, new_ticket, staff):
    operator = staff("operator")
    numbers = []
    for dept, hours in ((COMMUNITY_DEPT, 2), (COMMUNITY_DEPT, 30), (OTHER_DEPT, 5)):
        number = new_ticket()
        act(client, number, operator, action="dispatch", department=dept)
        overdue_by(app, number, hours)
        numbers.append(number)
    not_yet = new_ticket()
    act(client, not_yet, operator, action="dispatch", department=COMMUNITY_DEPT)

    everything = client.get("/api/v1/overdue", headers=operator)
    assert everything.status_code == 200
    body = everything.json
    assert body["total"] == 3
    assert [r["number"] for r in body["items"]] == [numbers[1], numbers[2], numbers[0]]
    first = body["items"][0]
    assert first["step"] == "sign" and first["overdue_seconds"] >= 30 * 3600
    assert first["overdue_human"].startswith("1天6小时")
    assert first["department"] == {
        "code": COMMUNITY_DEPT,
        "name": first["department"]["name"],
        "function": "general",
        "level": "community",
    }
    least = client.get("/api/v1/overdue?sort=least_overdue", headers=operator).json["items"]
    assert [r["number"] for r in least] == [numbers[0], numbers[2], numbers[1]]
    by_level = client.get("/api/v1/overdue?level=community", headers=operator).json
    assert by_level["total"] == 0  # nobody has swept them up a level yet
    by_function = client.get("/api/v1/overdue?function=urban_management", headers=operator)
    assert [r["number"] for r in by_function.json["items"]] == [numbers[2]]

    township = staff("supervisor", org_unit="510107005")
    mine = client.get("/api/v1/overdue", headers=township).json["items"]
    assert sorted(r["number"] for r in mine) == sorted(numbers[:2])
    agent = staff("agent", department=OTHER_DEPT)
    assert [r["number"] for r in client.get("/api/v1/overdue", headers=agent).json["items"]] == [
        numbers[2]
    ]

    as_csv = client.get("/api/v1/overdue", headers={**operator, "Accept": "text/csv"})
    assert as_csv.status_code == 200
    assert as_csv.mimetype == "text/csv"
    assert as_csv.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert rows[0][0] == "工单号" and len(rows) == 4
    assert [r[0] for r in rows[1:]] == [numbers[1], numbers[2], numbers[0]]
    # The export is the whole filtered list, whatever page the screen shows.
    paged = client.get(
        "/api/v1/overdue?per_page=1&page=2", headers={**operator, "Accept": "text/csv"}
    )
    assert len(list(csv.reader(io.StringIO(paged.data.decode("utf-8-sig"))))) == 4


def test_overdue_list_refuses_bad_input_and_strangers(client, staff):
    assert client.get("/api/v1/overdue").status_code == 401
    operator = staff("operator")
    for query in ("level=galaxy", "sort=random", "page=0", "org_unit=abc", "function=x"):
        response = client.get(f"/api/v1/overdue?{query}", headers=operator)
        assert response.status_code == 400, query
        assert response.json["error"]["fields"]
    assert client.get("/api/v1/overdue?bogus=1", headers=operator).status_code == 400


def test_every_order_pages_through_both_clocks(app, client, new_ticket, staff):
    operator = staff("operator")
    now = utcnow()
    rows = []  # (number, hours overdue, level), half waiting to be signed, half to be resolved
    for i, (hours, level) in enumerate(
        ((3, None), (9, "township"), (1, "city"), (7, None), (5, "township"), (2, "community"))
    ):
        number = new_ticket()
        act(client, number, operator, action="dispatch", department=COMMUNITY_DEPT)
        due = now - timedelta(hours=hours)
        values: dict = {"escalation_level": level, "sla_next_at": due}
        if i % 2:
            values |= {"status": "accepted", "signed_at": due, "resolve_due": due}
        else:
            values |= {"sign_due": due}
        with app.app_context():
            db.session.execute(update(Ticket).where(Ticket.number == number).values(**values))
            db.session.commit()
        rows.append((number, hours, level))
    rank = {None: -1, "community": 0, "township": 1, "district": 2, "city": 3}
    expected = {
        "most_overdue": sorted(rows, key=lambda r: -r[1]),
        "least_overdue": sorted(rows, key=lambda r: r[1]),
        "level": sorted(rows, key=lambda r: (-rank[r[2]], -r[1])),
        "number": sorted(rows),
    }
    for sort, order in expected.items():
        pages = [
            client.get(f"/api/v1/overdue?sort={sort}&per_page=2&page={p}", headers=operator).json
            for p in (1, 2, 3, 4)
        ]
        assert [p["total"] for p in pages] == [6] * 4
        assert [r["number"] for p in pages for r in p["items"]] == [r[0] for r in order], sort
    # The board counts per level in its one pass (overdue_tally) and pages with those counts.
    from hotline.core.actors import Actor
    from hotline.sla.pages import overdue_page, overdue_tally
    from hotline.sla.schemas import OverdueQuerySchema

    with app.test_request_context():
        actor = Actor(1, "op", "operator")
        args = OverdueQuerySchema().load({"sort": "level", "per_page": "2", "page": "2"})
        levels, codes = overdue_tally(actor, args, utcnow())
        items, total = overdue_page(actor, args, utcnow(), levels)
    assert total == 6 and codes == [COMMUNITY_DEPT]
    assert [i["number"] for i in items] == [r[0] for r in expected["level"][2:4]]
