"""The full ticket page shared by every staff console, and the one form endpoint for actions."""

from __future__ import annotations

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
from hotline.core.phones import mask
from hotline.search.history import caller_tickets
from hotline.tickets import operations
from hotline.tickets.models import RATINGS, Ticket, TicketEvent
from hotline.tickets.schemas import ACTION_FIELDS, ACTION_SCHEMAS
from hotline.tickets.states import allowed_actions
from hotline.web.auth import _safe_next, current_actor
from hotline.web.inplace import done_row, wants_fragment
from hotline.web.labels import ACTION

bp = Blueprint("web_tickets", __name__, url_prefix="/tickets")
# Photos sent with these actions show the result: the resident sees them on /track.
PUBLIC_PHOTOS = ("resolve", "answer")
# Free-text fields that deserve a multi-line box.
LONG_TEXT = {"reply", "reason", "text", "comment"}
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
}


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
        elif name == "rating":
            kind = "rating"
        elif name in LONG_TEXT:
            kind = "textarea"
        else:
            kind = "text"
        specs.append(
            {"name": name, "kind": kind, "required": field.required, "label": FIELD_LABELS[name]}
        )
    return specs


# The action a role most often takes in a state: its form is open when the page loads.
MAIN_ACTIONS = ("sign", "resolve", "dispatch", "decide_extension", "rate", "answer")


def offered_actions(ticket: Ticket, role: str) -> list[str]:
    """List the actions to offer now: the state's, minus those the ticket's data rules out."""
    actions = [a for a in allowed_actions(ticket.status, role) if a in ACTION_FIELDS]
    pending = bool(ticket.extension_request)
    if pending:
        actions = [a for a in actions if a != "request_extension"]
    else:
        actions = [a for a in actions if a != "decide_extension"]
    return actions


def main_action(actions: list[str]) -> str | None:
    """Return the action whose form opens by default (never a return or a merge)."""
    return next((a for a in MAIN_ACTIONS if a in actions), None)


def phone_for(actor: Actor, ticket: Ticket) -> str:
    """Return the resident's number as this actor may see it."""
    return ticket.phone if sees_full_phone(actor, ticket) else mask(ticket.phone)


def form_payload(action: str) -> dict[str, Any]:
    """Read an action's fields from the posted form (blank inputs count as missing)."""
    payload: dict[str, Any] = {"action": action}
    for name, field in ACTION_FIELDS[action].items():
        raw = request.form.get(name, "").strip()
        if isinstance(field, fields.Boolean):
            if name in request.form:
                payload[name] = raw or "false"
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
    actions = offered_actions(ticket, actor.role)
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
    message = _(
        "工单 %(number)s：%(action)s 已完成。",
        number=ticket.number,
        action=ACTION.get(action, action),
    )
    if wants_fragment():
        return done_row(ticket, message, int(request.form.get("columns") or 4))
    flash(message, "success")
    target = _safe_next(request.form.get("next")) or url_for(
        "web_tickets.show", number=ticket.number
    )
    return redirect(target, 303)
