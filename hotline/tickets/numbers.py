"""Hand out ticket numbers: readable over the phone and ordered by day, e.g. 20261126-000123."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from hotline.core.extensions import db
from hotline.core.timeutil import to_local
from hotline.tickets.models import TicketCounter


def next_number(now_utc: datetime, tz: str) -> str:
    """Atomically take the next number of the local day of ``now_utc``."""
    day = to_local(now_utc, tz).strftime("%Y%m%d")  # type: ignore[union-attr]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(TicketCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(
            index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1}
        )
        .returning(TicketCounter.last)
    )
    last = db.session.execute(stmt).scalar_one()
    return f"{day}-{last:06d}"
