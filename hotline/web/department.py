"""The department inbox: tickets by state with live deadlines; sign, return, resolve."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.scope import scope_filter
from hotline.tickets.states import allowed_actions
from hotline.web.auth import current_actor, role_required
from hotline.web.tickets import field_specs

bp = Blueprint("web_department", __name__, url_prefix="/department")
# Tabs of the inbox: the states an agent works through, in order.
TABS = ("dispatched", "accepted", "resolved", "returned", "closed")
INLINE = ("sign", "return", "note", "request_extension", "resolve")


@bp.get("")
@role_required("agent")
def index():
    """Show the department's tickets in one state, the most pressing deadline first."""
    actor = current_actor()
    state = request.args.get("state", "dispatched")
    if state not in TABS:
        abort(404)
    scope = scope_filter(actor)
    counts = dict(
        db.session.execute(
            select(Ticket.status, func.count())
            .where(scope, Ticket.status.in_(TABS), Ticket.status != "returned")
            .group_by(Ticket.status)
        ).all()
    )
    # A returned ticket leaves the department (back to the operators), so the tab lists what
    # this department sent back, from the timeline, read-only.
    sent_back = (
        select(TicketEvent.at, TicketEvent.data, Ticket.number, Ticket.description, Ticket.status)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.action == "return",
            TicketEvent.data["department"].as_string() == (actor.department_code or ""),
        )
    )
    counts["returned"] = db.session.scalar(select(func.count()).select_from(sent_back.subquery()))
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
    tickets = db.session.scalars(
        select(Ticket).where(scope, Ticket.status == state).order_by(*order).limit(200)
    ).all()
    actions = [a for a in allowed_actions(state, actor.role) if a in INLINE]
    return render_template(
        "department/index.html",
        tickets=tickets,
        state=state,
        tabs=TABS,
        counts=counts,
        actions=actions,
        action_specs={a: field_specs(a) for a in actions},
    )
