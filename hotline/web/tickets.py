"""The full ticket page shared by every staff console, and the one form endpoint for actions."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import fields
from sqlalchemy import select

from hotline.attachments import operations as attachments
from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.permissions import sees_full_phone
from hotline.core.vocabulary import REPLY_CHECKLIST
from hotline.search.history import caller_tickets
from hotline.tickets import operations, serialize
from hotline.tickets.models import RATINGS, Ticket, TicketEvent
from hotline.tickets.schemas import ACTION_FIELDS, ACTION_SCHEMAS
from hotline.web.auth import _safe_next, current_actor
from hotline.web.inplace import done_row, wants_fragment
from hotline.web.labels import ACTION

bp = Blueprint("web_tickets", __name__, url_prefix="/tickets")
# Photos sent with these actions show the result: the resident sees them on /track.
PUBLIC_PHOTOS = ("resolve", "answer")
# Free-text fields that deserve a multi-line box.
LONG_TEXT = {"reply", "reason", "text", "comment", "description", "parts_reason", "note"}
FIELD_LABELS = {
    "department": _l("承办单位"),
    "reason": _l("理由"),
    "text": _l("内容"),
    "days": _l("延期天数"),
    "approve": _l("同意延期"),
    "reply": _l("答复市民"),
    "rating": _l("评价结果"),
    "comment": _l("评价意见"),
    "into": _l("合并到工单"),
    "urgent": _l("紧急"),
    "description": _l("反映事项"),
    "address": _l("地址"),
    "community_code": _l("社区代码"),
    "outcome": _l("回访结果"),
    "assisting": _l("协办单位"),
    "basis": _l("依据（职责清单条目）"),
    "parts_reason": _l("协办未完成的说明"),
    "checklist": _l("审核要素"),
    "until": _l("恢复计时日期"),
    "note": _l("说明"),
}
EDIT_LABELS = {"org_unit": _l("所在地")}


def field_specs(action: str) -> list[dict[str, Any]]:
    """Describe the inputs of an action's form, read from the core's action schema."""
    specs = []
    for name, field in ACTION_FIELDS[action].items():
        if isinstance(field, fields.Boolean):
            kind = "bool"
        elif isinstance(field, fields.Integer):
            kind = "int"
        elif name == "department":
            kind = "department"
        elif name in ("assisting", "checklist", "until", "rating", "outcome"):
            kind = name
        elif action == "request_pause" and name == "reason":
            kind = "pause_reason"
        elif name in LONG_TEXT:
            kind = "textarea"
        else:
            kind = "text"
        specs.append(
            # Translated now, once: a lazy label is looked up again at every use in the page
            # (an inbox repeats each form for fifty tickets).
            {
                "name": name,
                "kind": kind,
                "required": field.required,
                "label": str(FIELD_LABELS[name]),
            }  # fmt: skip
        )
    return specs


# The action a role most often takes in a state: its form is open when the page loads.
MAIN_ACTIONS = (
    "sign", "contribute", "resolve", "review_reply", "review_request", "decide_pause", "dispatch",
    "decide_extension", "rate", "answer",
)  # fmt: skip


def offered_actions(ticket: Ticket, actor: Actor | str) -> list[str]:
    """List the actions to offer now: the state's, minus those the ticket's data rules out."""
    if isinstance(actor, str):
        actor = Actor(None, "", actor)
    allowed = serialize.ticket_actions(ticket, actor)
    actions = [a for a in allowed if a in ACTION_FIELDS]
    # A form only where there is something to decide, and no second request while one waits.
    hide = {
        "decide_extension": not ticket.extension_request,
        "request_extension": bool(ticket.extension_request),
        "review_request": not ticket.pending_request,
        "return": bool(ticket.pending_request),
        "transfer": bool(ticket.pending_request) and actor.role == "agent",
        "decide_pause": not ticket.pause_request,
        "request_pause": bool(ticket.pause_request or ticket.paused_at),
    }
    return [a for a in actions if not hide.get(a)]


def main_action(actions: list[str]) -> str | None:
    """Return the action whose form opens by default (never a return or a merge)."""
    return next((a for a in MAIN_ACTIONS if a in actions), None)


def phone_for(actor: Actor, ticket: Ticket) -> str:
    """Return the resident's number as this actor may see it."""
    return serialize.phone_for(actor, ticket)


def form_payload(action: str) -> dict[str, Any]:
    """Read an action's fields from the posted form (blank inputs count as missing)."""
    payload: dict[str, Any] = {"action": action}
    for name, field in ACTION_FIELDS[action].items():
        raw = request.form.get(name, "").strip()
        if isinstance(field, fields.Boolean):
            if name in request.form:
                payload[name] = raw or "false"
        elif name == "assisting":
            raw = " ".join(request.form.getlist(name))
            codes = [c for c in re.split(r"[\s,，、;；]+", raw) if c]
            if codes:
                payload[name] = codes
        elif name == "checklist":
            payload[name] = {k: f"checklist_{k}" in request.form for k in REPLY_CHECKLIST}
        elif raw:
            payload[name] = raw
    version = request.form.get("version", "").strip()
    if version:
        payload["version"] = version
    return ACTION_SCHEMAS[action]().load(payload)


@bp.get("/<number>")
@login_required
def show(number: str):
    """Show a ticket with its timeline and the actions this user may take now."""
    actor = current_actor()
    if not actor.is_staff:
        abort(403)
    ticket = operations.get_ticket(number, actor)
    actions = offered_actions(ticket, actor)
    # The caller's other tickets: for operators and the ticket's own department only.
    history = (
        caller_tickets(ticket.phone, actor, open_first=True, limit=20)
        if sees_full_phone(actor, ticket)
        else None
    )
    return render_template(
        "tickets/show.html",
        history=history,
        files=attachments.of_ticket(ticket),
        ticket=ticket,
        phone=phone_for(actor, ticket),
        actions=actions,
        main_action=main_action(actions),
        action_specs={a: field_specs(a) for a in actions},
        ratings=RATINGS,
        field_label=lambda name: FIELD_LABELS.get(name, EDIT_LABELS.get(name, name)),
        traces=operations.traces([ticket.id]) if ticket.routing else {},
    )


@bp.post("/<number>/attach")
@login_required
def attach(number: str):
    """Attach staff files to a ticket from its page."""
    actor = current_actor()
    if not actor.is_staff:
        abort(403)
    files = attachments.read_uploads(request.files.getlist("attachments"), "attachments")
    public = request.form.get("public") == "true"
    rows = attachments.upload(number, files, actor, public)
    flash(_("已上传 %(count)s 个文件。", count=len(rows)), "success")
    return redirect(f"/tickets/{number}#files", 303)


@bp.post("/<number>/act")
@login_required
def act(number: str):
    """Apply one action posted from any console, then go back where the user was."""
    actor = current_actor()
    action = request.form.get("action", "")
    if not actor.is_staff or action not in ACTION_SCHEMAS:
        abort(400 if actor.is_staff else 403)
    payload = form_payload(action)
    # Photos of a note or of the result: checked first, so a bad file changes nothing.
    files = attachments.read_uploads(request.files.getlist("attachments"), "attachments")
    ticket = operations.apply_action(number, payload, actor)
    if files:
        event = db.session.scalar(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id.desc())
            .limit(1)
        )
        attachments.add_files(ticket, files, actor, "staff", action in PUBLIC_PHOTOS, event)
        db.session.commit()
    label = ACTION.get(action, action)
    if action == "mark_urgent" and not payload.get("urgent", True):
        label = _("取消紧急")
    message = _("工单 %(number)s：%(action)s 已完成。", number=ticket.number, action=label)
    if wants_fragment():
        return done_row(ticket, message, int(request.form.get("columns") or 4))
    flash(message, "success")
    target = _safe_next(request.form.get("next")) or url_for(
        "web_tickets.show", number=ticket.number
    )
    return redirect(target, 303)
