"""Shared steps of the SLA tests (imported by the test modules, which pytest puts on sys.path)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from hotline.core.extensions import db
from hotline.notifications.models import OutboxMessage
from hotline.org.models import Department
from hotline.tickets.models import Ticket, TicketEvent

COMMUNITY_DEPT = "510107005001-general"
DUTY_PHONE = "13900000001"


def act(client, number, headers, **body):
    response = client.post(f"/api/v1/tickets/{number}/actions", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def set_duty_phone(app, code: str = COMMUNITY_DEPT, phone: str = DUTY_PHONE) -> None:
    with app.app_context():
        db.session.execute(
            update(Department).where(Department.code == code).values(duty_phone=phone)
        )
        db.session.commit()


def clear_duty_phone(app, code: str = COMMUNITY_DEPT) -> None:
    set_duty_phone(app, code, None)  # type: ignore[arg-type]


def supervisor(app, org_unit: str, phone: str) -> int:
    from hotline.users.operations import create_user

    with app.app_context():
        user = create_user(
            {"username": f"sup{org_unit}{phone[-3:]}", "password": "secret123",
             "role": "supervisor", "org_unit": org_unit}
        )  # fmt: skip
        user.phone = phone
        db.session.commit()
        return user.id


def ticket(number: str) -> Ticket:
    found = db.session.scalar(select(Ticket).where(Ticket.number == number))
    assert found is not None
    return found


def sla_events(number: str) -> list[tuple[str, str, str]]:
    """Return (action, step, level) of the ticket's SLA events, in order."""
    t = ticket(number)
    rows = db.session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == t.id).order_by(TicketEvent.id)
    )
    return [
        (e.action, e.data.get("step"), e.data.get("level"))
        for e in rows
        if e.action in ("warning", "overdue", "escalate")
    ]


def duplicates(ticket_ids: list[int] | None = None) -> list:
    """Return (ticket, action, step, level) written more than once."""
    stmt = select(TicketEvent).where(TicketEvent.action.in_(("warning", "overdue", "escalate")))
    if ticket_ids is not None:
        stmt = stmt.where(TicketEvent.ticket_id.in_(ticket_ids))
    counts = Counter(
        (e.ticket_id, e.action, e.data["step"], e.data["level"]) for e in db.session.scalars(stmt)
    )
    return [k for k, n in counts.items() if n > 1]


def messages_to(phone: str) -> list[str]:
    return list(
        db.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.to == phone).order_by(OutboxMessage.id)
        )
    )


def make_due(ticket_ids: list[int], at: datetime) -> None:
    """Move the sign-for clock of dispatched tickets so that its deadline is ``at``."""
    db.session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ticket_ids))
        .values(dispatched_at=at - timedelta(hours=8), sign_due=at, sla_next_at=at)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def bulk_due(count: int, due: datetime, dept: str = COMMUNITY_DEPT) -> list[int]:
    """Insert ``count`` dispatched tickets whose sign-for deadline is ``due``; return their ids."""
    tickets = [
        Ticket(
            number=f"T{due:%H%M%S}-{i:06d}",
            type="complaint",
            status="dispatched",
            description="占道经营",
            phone="13812345678",
            department_code=dept,
            scope_code=dept.split("-")[0],
            dispatched_at=due - timedelta(hours=8),
            sign_due=due,
            sla_next_at=due,
        )
        for i in range(count)
    ]
    db.session.add_all(tickets)
    db.session.commit()
    return [t.id for t in tickets]


def overdue_count(ticket_ids: list[int]) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.count())
        .select_from(TicketEvent)
        .where(TicketEvent.action == "overdue", TicketEvent.ticket_id.in_(ticket_ids))
    )
