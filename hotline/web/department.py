"""The department inbox: tickets by state with live deadlines; sign, return, resolve."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from sqlalchemy import Select, func, literal_column, select

from hotline.core.extensions import db
from hotline.tickets.listing import COUNT_CAP
from hotline.tickets.models import Ticket, TicketEvent, TicketPart
from hotline.tickets.scope import scope_filter
from hotline.tickets.states import allowed_actions
from hotline.web.auth import current_actor, role_required
from hotline.web.marks import row_marks
from hotline.web.tickets import field_specs

bp = Blueprint("web_department", __name__, url_prefix="/department")
# Tabs of the inbox: the states an agent works through, in order.
TABS = ("dispatched", "accepted", "assisting", "reviewing", "resolved", "returned", "closed")
INLINE = ("sign", "return", "note", "request_extension", "resolve")
# What an assisting department does on its part (协办), from the inbox.
PART_INLINE = ("sign", "contribute", "note")
# Rows of a state tab's page, the most pressing first: each carries its inline forms, so a
# busy department's whole backlog would be a megabyte page (the tab's count says how many,
# the pager walks the rest).
INBOX_SIZE = 50
# Pages a tab walks: the open tabs hold the work in hand; the closed pile is counted to
# COUNT_CAP, and its pages stop there too.
MAX_PAGE = COUNT_CAP // INBOX_SIZE


def _capped(stmt: Select[Any]) -> int | str:
    """Count the rows of ``stmt`` up to COUNT_CAP; beyond, say "10000+"."""
    # A constant, not the id: the count stays in the index (department, status).
    limited = stmt.with_only_columns(literal_column("1")).limit(COUNT_CAP + 1).subquery()
    n = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return f"{COUNT_CAP}+" if n > COUNT_CAP else n


@bp.get("")
@role_required("agent")
def index():
    """Show the department's tickets in one state, the most pressing deadline first."""
    actor = current_actor()
    state = request.args.get("state", "dispatched")
    if state not in TABS:
        abort(404)
    # The state tabs list what the department leads; assisted tickets have their own tab.
    scope = Ticket.department_code == (actor.department_code or "")
    if actor.role == "admin":
        scope = scope_filter(actor)
    mine = select(TicketPart.ticket_id).where(
        TicketPart.department_code == (actor.department_code or ""),
        TicketPart.status.in_(("dispatched", "accepted")),
    )
    # The open tabs are bounded by the work in hand; the closed pile grows for ever, so its
    # count stops at COUNT_CAP ("10000+") instead of visiting a year of tickets on every view.
    counts: dict[str, int | str] = dict(
        db.session.execute(
            select(Ticket.status, func.count())
            .where(scope, Ticket.status.in_([t for t in TABS if t not in ("returned", "closed")]))
            .group_by(Ticket.status)
        ).all()
    )
    counts["closed"] = _capped(select(Ticket.id).where(scope, Ticket.status == "closed"))
    # A returned ticket leaves the department (back to the operators), so the tab lists what
    # this department sent back, from the timeline, read-only.
    sent_back = (
        select(
            TicketEvent.at,
            TicketEvent.data,
            Ticket.number,
            Ticket.description,
            Ticket.status,
            # What redact() needs to hide a confidential resident's identity.
            Ticket.confidential,
            Ticket.hidden_texts,
            Ticket.name,
            Ticket.phone,
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.action.in_(("return", "return_request")),
            TicketEvent.data["department"].as_string() == (actor.department_code or ""),
        )
    )
    counts["returned"] = _capped(sent_back)
    counts["assisting"] = db.session.scalar(select(func.count()).select_from(mine.subquery()))
    if state == "assisting":
        # Open parts first; a part already contributed stays listed while the lead works on.
        listed = select(TicketPart.ticket_id).where(
            TicketPart.department_code == (actor.department_code or ""),
            TicketPart.status.in_(("dispatched", "accepted", "contributed")),
        )
        tickets = db.session.scalars(
            select(Ticket)
            .where(
                Ticket.id.in_(listed), Ticket.status.in_(("dispatched", "accepted", "reviewing"))
            )
            .order_by(Ticket.id)
            .limit(200)
        ).all()
        return render_template(
            "department/index.html", tickets=tickets, state=state, tabs=TABS, counts=counts,
            actions=list(PART_INLINE), action_specs={a: field_specs(a) for a in PART_INLINE},
        )  # fmt: skip
    if state == "returned":
        rows = db.session.execute(sent_back.order_by(TicketEvent.at.desc()).limit(200)).all()
        return render_template(
            "department/index.html", tickets=[], returned=rows, state=state, tabs=TABS,
            counts=counts, actions=[], action_specs={},
        )  # fmt: skip
    due = {"dispatched": Ticket.sign_due, "accepted": Ticket.resolve_due}.get(state)
    order = (
        [Ticket.urgent.desc(), due, Ticket.id] if due is not None else [Ticket.updated_at.desc()]
    )
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    tickets = db.session.scalars(
        select(Ticket)
        .where(scope, Ticket.status == state)
        .order_by(*order)
        .limit(INBOX_SIZE)
        .offset((page - 1) * INBOX_SIZE)
    ).all()
    actions = [a for a in allowed_actions(state, actor.role) if a in INLINE]
    total = counts.get(state, 0)  # "10000+" for a closed pile past the cap
    pages = -(-total // INBOX_SIZE) if isinstance(total, int) else MAX_PAGE
    return render_template(
        "department/index.html",
        tickets=tickets,
        state=state,
        tabs=TABS,
        counts=counts,
        actions=actions,
        action_specs={a: field_specs(a) for a in actions},
        marks=row_marks(tickets),
        page=page,
        pages=min(pages, MAX_PAGE),
    )
