"""Hand-built tickets with known places, sign-for times, ratings and reopen events."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hotline.core.extensions import db
from hotline.core.timeutil import to_local, to_utc, utcnow
from hotline.tickets.models import Ticket, TicketEvent

TZ = "Asia/Shanghai"
COMMUNITY = "510107005001"  # 玉林北路社区, 玉林街道 510107005, 武侯区 510107
WUHOU_GENERAL = f"{COMMUNITY}-general"
WUHOU_URBAN = "510107-urban_management"
JINJIANG_URBAN = "510104-urban_management"
SECRET_PHONE = "13999990000"
SECRET_NAME = "张秘密"
SECRET_TEXT = "隐私描述内容XYZ"


def today() -> date:
    return to_local(utcnow(), TZ).date()  # type: ignore[union-attr]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Return the naive-UTC instant of a local (Chengdu) time."""
    return to_utc(datetime.combine(day, time(hour, minute), ZoneInfo(TZ)))


def put(number: str, created: datetime, place: str | None, dept: str | None, **fields) -> Ticket:
    """Insert one ticket; ``reopened=True`` adds a reopen event to its timeline."""
    reopened = fields.pop("reopened", False)
    scope = dept.split("-")[0] if dept else (place or "5101")
    ticket = Ticket(
        number=number, type="complaint", status=fields.pop("status", "accepted"),
        description=SECRET_TEXT, phone=SECRET_PHONE, name=SECRET_NAME, org_unit_code=place,
        department_code=dept, scope_code=scope, created_at=created, updated_at=created,
        dispatched_at=created if dept else None, **fields,
    )  # fmt: skip
    db.session.add(ticket)
    db.session.flush()
    if reopened:
        db.session.add(TicketEvent(ticket_id=ticket.id, action="reopen", actor="resident"))
    return ticket


def build() -> dict[str, datetime]:
    """Insert the reference set (see test_rates for the figures it must give)."""
    now = utcnow()
    day1, day2 = today() - timedelta(days=1), today() - timedelta(days=2)
    t2 = at(day2, 10)
    hour = timedelta(hours=1)
    # 武侯区, community department: A in time and satisfied; B late, basically satisfied but
    # reopened; C in time but unsatisfied.
    put("A", t2, COMMUNITY, WUHOU_GENERAL, sign_due=t2 + hour, signed_at=t2 + hour / 2,
        rating="satisfied", status="closed")  # fmt: skip
    put("B", t2, COMMUNITY, WUHOU_GENERAL, sign_due=t2 + hour, signed_at=t2 + 2 * hour,
        rating="basically_satisfied", status="resolved", reopened=True)  # fmt: skip
    put("C", t2, COMMUNITY, WUHOU_GENERAL, sign_due=t2 + hour, signed_at=t2,
        rating="unsatisfied", status="resolved")  # fmt: skip
    t1 = at(day1, 12)
    # District bureau: D not signed and overdue now; E not signed, still within its limit.
    put("D", t1, "510107005002", WUHOU_URBAN, sign_due=now - hour, status="dispatched")
    put("E", t1, "510107", WUHOU_URBAN, sign_due=now + 5 * hour, status="dispatched")
    put("F", t1, COMMUNITY, None, status="received")
    put("M", t1, COMMUNITY, None, status="merged")
    # 锦江区: G at 00:30 local, which is still the day before in UTC.
    g = at(day1, 0, 30)
    put("G", g, "510104017001", JINJIANG_URBAN, sign_due=g + hour, signed_at=g + hour / 4,
        rating="satisfied", status="closed")  # fmt: skip
    # Created 40 days ago (outside the default window) and overdue on its resolution.
    old = now - timedelta(days=40)
    put("H", old, COMMUNITY, WUHOU_GENERAL, sign_due=old + hour, signed_at=old + hour / 2,
        resolve_due=now - 2 * hour, status="accepted")  # fmt: skip
    db.session.commit()
    return {"day1": t1, "day2": t2}


def assert_rebuild_changes_nothing() -> None:
    """Rebuild every aggregate from scratch and check it equals what the refreshes kept."""
    from sqlalchemy import select

    from hotline.stats import rollup

    def rows(table: type) -> list[tuple]:
        return sorted(tuple(r) for r in db.session.execute(select(table.__table__)))  # type: ignore[attr-defined]

    kept = {table: rows(table) for table in rollup.TABLES}
    rollup.rebuild()
    assert rollup.verify() == []
    for table, before in kept.items():
        assert rows(table) == before, table.__tablename__
