"""The staff list at scale: capped totals, keyset pages, number look-ups, supervisor prefixes."""

from __future__ import annotations

from hotline.tickets import listing


def test_pages_by_cursor_match_pages_by_number_and_totals_are_capped(
    client, new_ticket, staff, monkeypatch
):
    operator = staff("operator")
    numbers = [new_ticket(description=f"路灯不亮 {i}") for i in range(7)]
    monkeypatch.setattr(listing, "COUNT_CAP", 5)
    # Counted, not estimated: the planner's estimate follows the table's history (dead rows of
    # earlier tests, on a server without autovacuum); test_the_planner_estimates covers that path.
    monkeypatch.setattr(listing, "ESTIMATE_TRUST", 10**9)
    first = client.get("/api/v1/tickets?per_page=3", headers=operator).json
    assert first["total"] == 5 and first["total_capped"] is True
    assert [t["number"] for t in first["items"]] == numbers[::-1][:3]
    second = client.get(f"/api/v1/tickets?per_page=3&after={first['next']}", headers=operator)
    by_page = client.get("/api/v1/tickets?per_page=3&page=2", headers=operator).json
    assert [t["number"] for t in second.json["items"]] == [t["number"] for t in by_page["items"]]
    last = client.get("/api/v1/tickets?per_page=3&page=3", headers=operator).json
    assert len(last["items"]) == 1 and last["next"] is None
    monkeypatch.setattr(listing, "COUNT_CAP", 100)
    exact = client.get("/api/v1/tickets", headers=operator).json
    assert exact["total"] == 7 and exact["total_capped"] is False
    bad = client.get("/api/v1/tickets?after=yesterday", headers=operator)
    assert bad.status_code == 400 and "after" in bad.json["error"]["fields"]


def test_a_number_is_found_exactly_and_a_supervisor_sees_the_prefix_only(client, new_ticket, staff):
    mine = new_ticket(community_code="510107005001")
    other = new_ticket(community_code="510104017001")
    operator = staff("operator")
    found = client.get(f"/api/v1/tickets?q={mine}", headers=operator).json
    assert [t["number"] for t in found["items"]] == [mine]
    supervisor = staff("supervisor", org_unit="510107")
    seen = client.get("/api/v1/tickets", headers=supervisor).json
    assert [t["number"] for t in seen["items"]] == [mine] and other != mine


def test_the_planner_estimates_a_list_on_postgresql_only(app, new_ticket):
    from sqlalchemy import select, text

    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    for i in range(3):
        new_ticket(description=f"噪音扰民 {i}")
    with app.app_context():
        stmt = select(Ticket.id).where(Ticket.type == "complaint")
        if db.engine.dialect.name != "postgresql":
            assert listing.estimated_rows(stmt) is None
            return
        db.session.execute(text("ANALYZE tickets"))
        estimate = listing.estimated_rows(stmt)
        assert estimate is not None and 1 <= estimate <= 10
        db.session.remove()


def test_a_township_deep_page_merged_from_its_units_indexes_lists_what_the_walk_lists(
    client, new_ticket, staff, monkeypatch
):
    from tests.support.sla import COMMUNITY_DEPT, act

    operator = staff("operator")
    # Placed at the township and at two of its communities, interleaved in time: the page
    # merges one stream per org unit.
    units = ["510107005001", "510107005", "510107005006"]
    placed = [
        new_ticket(community_code=units[i % 3], description=f"路灯不亮 {i}") for i in range(5)
    ]
    # Placed in another district, handled by the township's community: listed with it.
    handled = new_ticket(community_code="510104017001", description="井盖破损")
    act(client, handled, operator, action="dispatch", department=COMMUNITY_DEPT)
    new_ticket(community_code="510104017001", description="噪音扰民")  # neither: not listed
    placed.append(new_ticket(community_code="510107005001", description="占道经营", type="report"))

    def pages(query: str) -> list[list[str]]:
        return [
            [t["number"] for t in client.get(f"/api/v1/tickets?org_unit=510107005&per_page=2"
                                             f"&page={p}{query}", headers=operator).json["items"]]
            for p in (1, 2, 3, 4)
        ]  # fmt: skip

    walked = pages("")
    monkeypatch.setattr(listing, "AREA_DEPTH", 0)  # every page sorted from the place's indexes
    assert pages("") == walked
    assert sorted(sum(walked, [])) == sorted([*placed, handled])
    assert pages("&type=report") == [[placed[-1]], [], [], []]
    counted = client.get("/api/v1/tickets?org_unit=510107005&page=2&per_page=2", headers=operator)
    assert counted.json["total"] == len(placed) + 1 and counted.json["total_capped"] is False


def test_a_district_supervisor_pages_the_district_and_nothing_else(client, new_ticket, staff):
    # Read from the district's own index on PostgreSQL (scope.listed_scope): the same tickets
    # as the scope's prefix, at the district, its townships and communities, newest first.
    units = ["510107005001", "510107005", "510107015002"]
    mine = [new_ticket(community_code=units[i % 3], description=f"路灯不亮 {i}") for i in range(5)]
    new_ticket(community_code="510104017001", description="噪音扰民")  # another district
    new_ticket(community_code=None, description="井盖破损")  # no place yet: the city's
    supervisor = staff("supervisor", org_unit="510107")

    def page(query: str) -> dict:
        return client.get(f"/api/v1/tickets?per_page=2{query}", headers=supervisor).json

    pages = [[t["number"] for t in page(f"&page={p}")["items"]] for p in (1, 2, 3, 4)]
    assert pages == [mine[::-1][0:2], mine[::-1][2:4], mine[::-1][4:], []]
    after = page(f"&after={page('&page=1')['next']}")
    assert [t["number"] for t in after["items"]] == pages[1]
    counted = page("&page=2")
    assert counted["total"] == len(mine) and counted["total_capped"] is False
    narrowed = client.get("/api/v1/tickets?org_unit=510107015&per_page=10", headers=supervisor).json
    assert [t["number"] for t in narrowed["items"]] == [mine[2]]


def test_a_district_list_reads_the_district_index_on_postgresql(app):
    from sqlalchemy import text

    from hotline.core.actors import Actor
    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return  # SQLite has no such index: its lists are small
        actor = Actor(id=None, role="supervisor", org_unit_code="510107", label="supervisor")
        (stmt,) = listing.streams(actor, [])
        stmt = stmt.with_only_columns(Ticket.id).order_by(Ticket.created_at.desc())
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        # A tiny table is read whole; what matters is that the condition matches the index.
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
        db.session.rollback()
    assert "ix_tickets_district_created" in plan, plan
