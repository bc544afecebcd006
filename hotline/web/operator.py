"""The operator console: triage queue, dispatch, answer, urgent, merge, follow-up."""

from __future__ import annotations

from datetime import timedelta
from difflib import SequenceMatcher

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from hotline.api.errors import ApiError, field_error
from hotline.extensions import db
from hotline.knowledge import operations as knowledge
from hotline.knowledge.schemas import SearchSchema
from hotline.search.tokens import bigrams, normalise
from hotline.tickets import operations
from hotline.tickets.models import Ticket
from hotline.tickets.schemas import ACTION_SCHEMAS
from hotline.tickets.states import TransitionError
from hotline.timeutil import utcnow
from hotline.web.auth import current_actor, role_required
from hotline.web.inplace import done_row, incoming_calls, wants_fragment
from hotline.web.tickets import field_specs

bp = Blueprint("web_operator", __name__, url_prefix="/operator")
TRIAGE = ("received", "returned")
FOLLOW_UP = ("resolved", "answered")
MERGE_TARGETS = ("received", "returned", "dispatched", "accepted", "resolved")
EMERGENCY_NUMBERS = ("110", "119", "120", "122")
# The record of the answer given to an emergency caller (ticket data, so always zh-CN).
EMERGENCY_REPLY = "已告知市民立即挂机拨打{numbers}报警/求助，本热线不受理紧急警情。"


def emergency_numbers(ticket: Ticket) -> list[str]:
    """Return the emergency numbers the router saw in the ticket (none when not an emergency)."""
    emergency = (ticket.routing or {}).get("emergency")
    if not emergency:
        return []
    return list(emergency.get("numbers") or []) or list(EMERGENCY_NUMBERS)


def _counts() -> dict[str, int]:
    triage = select(func.count()).select_from(Ticket).where(Ticket.status.in_(TRIAGE))
    follow = select(func.count()).select_from(Ticket).where(Ticket.awaiting_rating)
    return {"triage": db.session.scalar(triage) or 0, "follow": db.session.scalar(follow) or 0}


@bp.get("")
@role_required("operator")
def index():
    """Show the triage queue: new and returned tickets, urgent first, then oldest."""
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.status.in_(TRIAGE))
        .order_by(Ticket.urgent.desc(), Ticket.created_at, Ticket.id)
        .limit(100)
    ).all()
    return render_template(
        "operator/index.html",
        calls=incoming_calls(current_actor()),
        tickets=tickets,
        counts=_counts(),
        tab="triage",
        answer_specs=field_specs("answer"),
        emergency_numbers=emergency_numbers,
    )


@bp.get("/follow-up")
@role_required("operator")
def follow_up():
    """Show resolved tickets still waiting for the resident's rating, oldest first."""
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.awaiting_rating)
        .order_by(Ticket.resolved_at.is_(None), Ticket.resolved_at, Ticket.updated_at)
        .limit(100)
    ).all()
    return render_template(
        "operator/follow_up.html", tickets=tickets, counts=_counts(), tab="follow"
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
            raise field_error("reason", "改派需填写理由")
        payload.update(department=department, reason=reason)
    elif emergency_numbers(operations.get_ticket(number, current_actor())):
        raise field_error("department", _("紧急警情不能一键派单；确非警情请改派并说明理由"))
    data = ACTION_SCHEMAS["dispatch"]().load({k: v for k, v in payload.items() if v})
    ticket = operations.apply_action(number, data, current_actor())
    name = ticket.department.name if ticket.department else ""
    message = _("工单 %(number)s 已派往 %(name)s。", number=ticket.number, name=name)
    if wants_fragment():
        return done_row(ticket, message)
    flash(message, "success")
    return redirect("/operator", 303)


@bp.post("/bulk-dispatch")
@role_required("operator")
def bulk_dispatch():
    """Dispatch the selected tickets as the router proposed (emergencies and others skipped)."""
    numbers = list(dict.fromkeys(request.form.getlist("numbers")))[:100]
    if not numbers:
        raise field_error("numbers", _("请先勾选工单"))
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
        except (ApiError, TransitionError):
            db.session.rollback()
            skipped.append(number)
    flash(_("已按建议派单 %(n)s 件。", n=len(done)), "success")
    if skipped:
        flash(_("未派单（无建议、紧急警情或已被处理）：%(numbers)s", numbers="、".join(skipped)),
              "error")  # fmt: skip
    return redirect("/operator", 303)


@bp.post("/<number>/emergency")
@role_required("operator")
def emergency(number: str):
    """Close an emergency with the fixed answer: the caller was told to dial 110/119/120/122."""
    ticket = operations.get_ticket(number, current_actor())
    numbers = "/".join(emergency_numbers(ticket) or EMERGENCY_NUMBERS)
    payload = {"action": "answer", "reply": EMERGENCY_REPLY.format(numbers=numbers)}
    if request.form.get("version"):
        payload["version"] = request.form["version"]
    data = ACTION_SCHEMAS["answer"]().load(payload)
    ticket = operations.apply_action(number, data, current_actor())
    message = _("工单 %(number)s 已记录为引导拨打 %(numbers)s。", number=ticket.number,
                numbers=numbers)  # fmt: skip
    if wants_fragment():
        return done_row(ticket, message)
    flash(message, "success")
    return redirect("/operator", 303)


def similarity(a: str, b: str) -> float:
    """Return how alike two descriptions read (0..1), on characters, as Chinese has no spaces.

    The better of the character sequence match and the overlap of two-character words, so the
    same words in another order ("占道经营 夜市" / "夜市占道经营") still count as alike.
    """
    sequence = SequenceMatcher(None, a[:500], b[:500], autojunk=False).ratio()
    grams_a, grams_b = bigrams(normalise(a[:500])), bigrams(normalise(b[:500]))
    if not grams_a or not grams_b:
        return sequence
    dice = 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
    return max(sequence, dice)


def duplicate_candidates(ticket: Ticket, limit: int = 5) -> list[tuple[Ticket, float, list[str]]]:
    """Suggest tickets to merge with, each with its score and why it was suggested.

    Looked at: the last 7 days in the same township (any channel) with alike words, and the
    caller's own open tickets wherever they are.
    """
    since = utcnow() - timedelta(days=7)
    base = select(Ticket).where(Ticket.id != ticket.id, Ticket.status.in_(MERGE_TARGETS))
    area = (ticket.org_unit_code or "")[:9]
    nearby = base.where(Ticket.created_at >= since)
    nearby = (
        nearby.where(Ticket.org_unit_code.startswith(area, autoescape=True)) if area else nearby
    )
    pool = {
        t.id: t for t in db.session.scalars(nearby.order_by(Ticket.created_at.desc()).limit(200))
    }
    own = db.session.scalars(
        base.where(Ticket.phone == ticket.phone).order_by(Ticket.created_at.desc()).limit(20)
    ).all()
    own_ids = {t.id for t in own}
    pool.update({t.id: t for t in own})
    found = []
    for other in pool.values():
        score = similarity(ticket.description, other.description)
        reasons = []
        if other.id in own_ids:
            reasons.append("caller")
        if area and (other.org_unit_code or "").startswith(area):
            reasons.append("township")
        if score >= 0.3:
            reasons.append("words")
        if "caller" in reasons or score >= 0.3:
            found.append((other, score, reasons))
    found.sort(key=lambda c: ("caller" not in c[2], -c[1]))
    return found[:limit]


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
