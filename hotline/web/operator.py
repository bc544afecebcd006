"""The operator console: triage queue, dispatch, answer, urgent, merge, follow-up."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from hotline.core.errors import DomainError, FieldError
from hotline.core.extensions import db
from hotline.core.vocabulary import FOLLOWUP_MAX_ATTEMPTS
from hotline.knowledge import operations as knowledge
from hotline.knowledge.schemas import SearchSchema
from hotline.tickets import operations
from hotline.tickets.duplicates import duplicate_candidates
from hotline.tickets.models import Ticket
from hotline.tickets.schemas import ACTION_SCHEMAS
from hotline.web.auth import current_actor, role_required
from hotline.web.inplace import done_row, incoming_calls, wants_fragment
from hotline.web.marks import row_marks
from hotline.web.operator_auto import auto_dispatched, auto_dispatched_count, recallable
from hotline.web.tickets import field_specs

bp = Blueprint("web_operator", __name__, url_prefix="/operator")
TRIAGE = ("received", "returned")
# Rows of the triage queue on one page: an operator works from the top (urgent, oldest).
QUEUE_SIZE = 50
FOLLOW_UP = ("resolved", "answered")
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
# The record of the answer given to an emergency caller (ticket data, so always zh-CN).
EMERGENCY_REPLY = "已告知市民立即挂机拨打{numbers}报警/求助，本热线不受理紧急警情。"
# Written in (web, app, SMS): nobody is on the line to hang up.
EMERGENCY_REPLY_WRITTEN = (
    "已提示市民立即拨打{numbers}报警/求助，本热线不受理紧急警情，留言已记录备查。"
)


def emergency_numbers(ticket: Ticket) -> list[str]:
    """Return the emergency numbers the router saw in the ticket (none when not an emergency)."""
    proposal = ticket.proposal
    if not proposal.is_emergency:
        return []
    return proposal.emergency_numbers or list(EMERGENCY_NUMBERS)


# Rated unsatisfied and not yet taken up again: the operator answers again, dispatches or reopens.
# Literal statuses, not bind parameters: the planner must see they match the follow-up
# partial index (ix_tickets_follow_up) even in a prepared, generic plan.
IN_FOLLOW_UP = Ticket.status.in_([literal_column(f"'{s}'") for s in FOLLOW_UP])
# Waiting for the resident's rating (Ticket.awaiting_rating), emergencies left out.
AWAITING = and_(
    IN_FOLLOW_UP,
    or_(Ticket.rated_at.is_(None), Ticket.rated_at < Ticket.resolved_at),
    Ticket.emergency.is_(False),
)
UNSATISFIED = and_(
    IN_FOLLOW_UP,
    Ticket.rating == "unsatisfied",
    Ticket.rated_at >= Ticket.resolved_at,
)


def _listed(condition: Any, order: tuple[Any, ...], limit: int) -> list[Ticket]:
    """Return the tickets of a tab: ids first, in the follow-up index alone, then their rows.

    Asked for whole rows at once, the database reads every candidate's row before testing
    the tab's condition; the ids are tested in the index, and only the listed rows are read.
    """
    ids = list(db.session.scalars(select(Ticket.id).where(condition).order_by(*order).limit(limit)))
    if not ids:
        return []
    rows = db.session.scalars(select(Ticket).where(Ticket.id.in_(ids)))
    by_id = {t.id: t for t in rows}
    return [by_id[i] for i in ids if i in by_id]


def _count(condition) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(Ticket).where(condition)) or 0


def _counts() -> dict[str, int]:
    return {
        "triage": _count(Ticket.status.in_(TRIAGE)),
        "follow": _count(AWAITING),
        "unsatisfied": _count(UNSATISFIED),
        "auto": auto_dispatched_count(),
    }


@bp.get("")
@role_required("operator")
def index():
    """Show the triage queue: new and returned tickets, urgent first, then oldest."""
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.status.in_(TRIAGE))
        .order_by(Ticket.urgent.desc(), Ticket.created_at, Ticket.id)
        .limit(QUEUE_SIZE)
        # A returned ticket shows why it came back: every timeline in one query, not one each.
        .options(selectinload(Ticket.events))
    ).all()
    return render_template(
        "operator/index.html",
        calls=incoming_calls(current_actor()),
        tickets=tickets,
        traces=operations.traces([t.id for t in tickets]),
        counts=_counts(),
        tab="triage",
        answer_specs=field_specs("answer"),
        emergency_numbers=emergency_numbers,
        marks=row_marks(tickets),
    )


@bp.get("/follow-up")
@role_required("operator")
def follow_up():
    """Show resolved tickets still waiting for the resident's rating, oldest first."""
    order = (Ticket.resolved_at.is_(None), Ticket.resolved_at, Ticket.updated_at, Ticket.id)
    tickets = _listed(AWAITING, order, 100)
    return render_template(
        "operator/follow_up.html",
        tickets=tickets,
        counts=_counts(),
        tab="follow",
        max_attempts=FOLLOWUP_MAX_ATTEMPTS,
        marks=row_marks(tickets),
    )


@bp.get("/unsatisfied")
@role_required("operator")
def unsatisfied():
    """Show results the resident rated unsatisfied, oldest rating first, with their comment."""
    tickets = _listed(UNSATISFIED, (Ticket.rated_at, Ticket.id), 100)
    return render_template(
        "operator/unsatisfied.html", tickets=tickets, counts=_counts(), tab="unsatisfied"
    )


@bp.get("/auto")
@role_required("operator")
def auto():
    """Show what auto-dispatch sent out, with a pull-back for what is not yet signed."""
    return render_template(
        "operator/auto.html",
        rows=auto_dispatched(),
        recallable=recallable,
        counts=_counts(),
        tab="auto",
    )


@bp.post("/<number>/dispatch")
@role_required("operator")
def dispatch(number: str):
    """Dispatch: accept the router's proposal, or send elsewhere with a reason (an override)."""
    department = request.form.get("department", "").strip()
    reason = request.form.get("reason", "").strip()
    payload = {"action": "dispatch", "version": request.form.get("version") or None}
    if department:
        if not reason:
            raise FieldError("reason", "改派需填写理由")
        payload.update(department=department, reason=reason)
    elif emergency_numbers(operations.get_ticket(number, current_actor())):
        raise FieldError("department", _("紧急警情不能一键派单；确非警情请改派并说明理由"))
    data = ACTION_SCHEMAS["dispatch"]().load({k: v for k, v in payload.items() if v})
    ticket = operations.apply_action(number, data, current_actor())
    name = ticket.department.name if ticket.department else ""
    message = _("工单 %(number)s 已派往 %(name)s。", number=ticket.number, name=name)
    if wants_fragment():
        return done_row(ticket, message)
    flash(message, "success")
    return redirect(url_for("web_operator.index"), 303)


@bp.post("/bulk-dispatch")
@role_required("operator")
def bulk_dispatch():
    """Dispatch the selected tickets as the router proposed (emergencies and others skipped)."""
    numbers = list(dict.fromkeys(request.form.getlist("numbers")))[:100]
    if not numbers:
        raise FieldError("numbers", _("请先勾选工单"))
    done, skipped = [], []
    for number in numbers:
        ticket = operations.get_ticket(number, current_actor())
        proposed = ((ticket.routing or {}).get("department") or {}).get("code")
        if not proposed or emergency_numbers(ticket) or ticket.status not in TRIAGE:
            skipped.append(number)
            continue
        try:
            operations.apply_action(number, {"action": "dispatch"}, current_actor())
            done.append(number)
        except DomainError:
            db.session.rollback()
            skipped.append(number)
    flash(_("已按建议派单 %(n)s 件。", n=len(done)), "success")
    if skipped:
        flash(_("未派单（无建议、紧急警情或已被处理）：%(numbers)s", numbers="、".join(skipped)),
              "error")  # fmt: skip
    return redirect(url_for("web_operator.index"), 303)


@bp.post("/<number>/emergency")
@role_required("operator")
def emergency(number: str):
    """Close an emergency with the fixed answer: the caller was told to dial 110/119/120/122."""
    ticket = operations.get_ticket(number, current_actor())
    numbers = "/".join(emergency_numbers(ticket) or EMERGENCY_NUMBERS)
    reply = EMERGENCY_REPLY if ticket.channel == "phone" else EMERGENCY_REPLY_WRITTEN
    payload = {"action": "answer", "reply": reply.format(numbers=numbers)}
    if request.form.get("version"):
        payload["version"] = request.form["version"]
    data = ACTION_SCHEMAS["answer"]().load(payload)
    ticket = operations.apply_action(number, data, current_actor())
    if ticket.emergency:
        # Kept for the record, not followed up: nobody is asked to rate an emergency referral.
        ticket = operations.apply_action(number, {"action": "close"}, current_actor())
    message = _("工单 %(number)s 已记录为引导拨打 %(numbers)s。", number=ticket.number,
                numbers=numbers)  # fmt: skip
    if wants_fragment():
        return done_row(ticket, message)
    flash(message, "success")
    return redirect(url_for("web_operator.index"), 303)


@bp.get("/<number>/duplicates")
@role_required("operator")
def duplicates(number: str):
    """Render the merge suggestions of one ticket (an htmx partial)."""
    ticket = operations.get_ticket(number, current_actor())
    return render_template(
        "operator/_duplicates.html", ticket=ticket, candidates=duplicate_candidates(ticket)
    )


@bp.get("/knowledge")
@role_required("operator")
def knowledge_search():
    """Search the standard answers (a full page, or the result list for htmx)."""
    args = SearchSchema().load({"q": request.args.get("q", "")})
    articles = knowledge.search(args["q"], limit=8)
    template = (
        "operator/_articles.html" if request.args.get("partial") else "operator/knowledge.html"
    )
    return render_template(
        template, articles=articles, q=args["q"], tab="knowledge", counts=_counts()
    )
