"""The centre's review queue (审核): return/transfer requests, replies to check, pauses asked."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from hotline.core.extensions import db
from hotline.sla.parts_overdue import paused_tickets
from hotline.tickets.models import Ticket
from hotline.tickets.scope import scope_filter
from hotline.web.auth import current_actor, role_required
from hotline.web.tickets import field_specs

bp = Blueprint("web_review", __name__, url_prefix="/review")
AT_WORK = ("dispatched", "accepted")


def _pending(column: Any, actor: Any) -> list[Ticket]:
    """Return the tickets at work in scope with a pending ``column`` (JSON null differs)."""
    rows = db.session.scalars(
        select(Ticket)
        .where(scope_filter(actor), Ticket.status.in_(AT_WORK), column.is_not(None))
        .order_by(Ticket.updated_at, Ticket.id)
        .limit(200)
    )
    return [t for t in rows if getattr(t, column.key)]


@bp.get("")
@role_required("operator", "supervisor")
def index():
    """List what waits for the centre's ruling, oldest first, each with its form."""
    actor = current_actor()
    if not actor.is_reviewer:
        abort(403)
    replies = db.session.scalars(
        select(Ticket)
        .where(scope_filter(actor), Ticket.status == "reviewing")
        .order_by(Ticket.resolved_at, Ticket.id)
        .limit(200)
    ).all()
    pauses = _pending(Ticket.pause_request, actor) if actor.role != "operator" else []
    paused = paused_tickets(actor) if actor.role != "operator" else []
    forms = ("review_request", "review_reply", "decide_pause")
    return render_template(
        "review/index.html",
        requests=_pending(Ticket.pending_request, actor),
        replies=replies,
        pauses=pauses,
        paused=paused,
        action_specs={a: field_specs(a) for a in forms},
        wide=True,
    )
