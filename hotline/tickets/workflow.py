"""The centre's rulings: returns and transfers as requests, reply review, pauses, hidden text.

A department does not pass a ticket on by itself (派单异议审核): its return or transfer waits
in ``pending_request`` until a reviewer approves (the ticket moves, the router learns) or
refuses (the ticket stays, its clock never stopped).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import FieldError, Forbidden, InvalidInput, InvalidState, PauseLimit
from hotline.core.extensions import db
from hotline.core.timeutil import to_local, utcnow
from hotline.tickets import notices, parts
from hotline.tickets.models import Ticket, TicketEvent


def bounces(ticket: Ticket) -> int:
    """Count the returns and transfers the centre approved on this ticket."""
    count = db.session.scalar(
        select(func.count(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket.id,
            TicketEvent.action == "review_request",
            TicketEvent.data["approve"].as_boolean().is_(True),
        )
    )
    return int(count or 0)


def request_change(
    kind: str, ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    """Record a department's return or transfer as a request for the centre."""
    if ticket.pending_request:
        raise InvalidState("a return or transfer request is already pending")
    request: dict[str, Any] = {
        "kind": kind,
        "reason": p["reason"],
        "basis": p.get("basis"),
        "from_department": ticket.department_code,
        "by": actor.label,
        "at": now.isoformat(),
    }
    if kind == "transfer":
        department = actions.department_or_error(p["department"])
        if department.code == ticket.department_code:
            raise FieldError("department", "the ticket is already with this department")
        request |= {"department": department.code, "department_name": department.name}
    # Past the bounce limit only the city supervisor rules (and the ticket is 市级督办).
    if bounces(ticket) >= settings().bounce_limit:
        request["level"] = "city"
        ticket.escalation_level = "city"
    ticket.pending_request = request
    # On the timeline ``department`` is the one asking, as on a direct return.
    data = {k: v for k, v in request.items() if k not in ("by", "at", "department")}
    data["department"] = ticket.department_code
    if kind == "transfer":
        data["to_department"] = request["department"]
    return data


def _is_city_supervisor(actor: Actor) -> bool:
    return actor.role == "admin" or (
        actor.role == "supervisor" and len(actor.org_unit_code or "") == 4
    )


def review_request(
    ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime
) -> dict[str, Any]:
    """Approve (the ticket moves as asked) or refuse (it stays) a pending request."""
    pending = ticket.pending_request
    if not pending:
        raise InvalidState("there is no pending return or transfer request")
    if not actor.is_reviewer:
        raise Forbidden("only a reviewer may rule on requests")
    if pending.get("level") == "city" and not _is_city_supervisor(actor):
        raise Forbidden("past the bounce limit the city supervisor rules")
    if not p["approve"] and not p.get("reason"):
        raise InvalidInput("a refusal needs its ruling", {"reason": ["a refusal needs its ruling"]})
    data: dict[str, Any] = {
        "approve": p["approve"],
        "kind": pending["kind"],
        "reason": p.get("reason"),
        "requested_reason": pending["reason"],
        "basis": pending.get("basis"),
        "department": pending["from_department"],
    }
    ticket.pending_request = None
    if not p["approve"]:
        what = "退回申请" if pending["kind"] == "return" else "转办申请"
        notices.department_ruling(ticket, what, p.get("reason"), now)
        return data
    routing = ticket.routing or {}
    # The router's feedback (纠错): the department it (or an operator) chose was wrong.
    data["feedback"] = {
        "rule": routing.get("rule"),
        "proposed": (routing.get("department") or {}).get("code"),
        "wrong": pending["from_department"],
        "right": pending.get("department"),
    }
    if pending["kind"] == "return":
        moved = actions.return_(ticket, {"reason": pending["reason"]}, actor, now)
        ticket.status = "returned"
    else:
        moved = actions.transfer(
            ticket, {"department": pending["department"], "reason": pending["reason"]}, actor, now
        )
        moved["to_department"] = moved.pop("department")
        ticket.status = "dispatched"
    if bounces(ticket) + 1 >= settings().bounce_limit:
        # The limit reached: the city supervisor now watches it (市级督办) and rules next time.
        ticket.escalation_level = "city"
        data["bounce_limit_reached"] = True
    # The ruling's reason stays ``reason``; the department's is ``requested_reason``.
    return data | {k: v for k, v in moved.items() if k not in ("reason", "department")}


def review_reply(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Pass a reply on to the resident, or send it back to the department with the reason."""
    if not actor.is_reviewer:
        raise Forbidden("only a reviewer may review replies")
    if not p["approve"] and not p.get("reason"):
        raise InvalidInput("say what the reply lacks", {"reason": ["say what the reply lacks"]})
    data = {"approve": p["approve"], "reason": p.get("reason"), "checklist": p.get("checklist")}
    if p["approve"]:
        actions.release_reply(ticket, now)
        ticket.status = "resolved"
    else:
        # Back to work: the resolution clock (resolve_due) runs on as it was; the rejected
        # reply stays on the timeline only, never in front of the resident.
        data["reply"] = ticket.reply
        ticket.reply = None
        notices.department_ruling(ticket, "办结答复", p.get("reason"), now)
        ticket.resolved_at = None
        ticket.status = "accepted"
    return data


def _local_midnight(day: Any) -> datetime:
    """Return the start of local day ``day`` as naive UTC."""
    tz = ZoneInfo(settings().timezone)
    local = datetime.combine(day, time(0), tzinfo=tz)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def request_pause(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Ask a supervisor to stop the clock until a date, for a listed reason."""
    if ticket.paused_at or ticket.pause_request:
        raise InvalidState("the clock is already paused or a pause is asked")
    if ticket.pause_count >= settings().pause_max_count:
        raise PauseLimit("this ticket has had all the pauses it may have")
    local = to_local(now, settings().timezone)
    today = local.date() if local else now.date()
    # A day already begun (in the city or in UTC, for callers far away) cannot be paused to.
    if p["until"] <= min(today, now.date()):
        raise FieldError("until", "the clock resumes on a later day")
    if p["until"] > today + timedelta(days=settings().pause_max_days):
        raise FieldError("until", f"a pause lasts at most {settings().pause_max_days} days")
    request = {"reason": p["reason"], "until": p["until"].isoformat(), "note": p.get("note")}
    ticket.pause_request = request | {"by": actor.label, "at": now.isoformat()}
    return request


def decide_pause(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Approve (the clock stops until the date) or refuse a pause request."""
    pending = ticket.pause_request
    if not pending:
        raise InvalidState("there is no pending pause request")
    data = {"approve": p["approve"], "reason": p.get("reason"), **pending}
    data.pop("by", None), data.pop("at", None)
    ticket.pause_request = None
    if p["approve"]:
        until = datetime.fromisoformat(pending["until"]).date()
        ticket.paused_at = now
        ticket.paused_until = _local_midnight(until)
        ticket.pause_count += 1
    return data


def resume(ticket: Ticket, now: datetime | None = None) -> dict[str, Any] | None:
    """Restart a paused clock: every running deadline moves on by the time it stood still."""
    if ticket.paused_at is None:
        return None
    now = now or utcnow()
    end = min(now, ticket.paused_until or now)
    shift = max(end - ticket.paused_at, timedelta(0))
    if ticket.status == "dispatched" and ticket.sign_due:
        ticket.sign_due += shift
    if ticket.status == "accepted" and ticket.resolve_due:
        ticket.resolve_due += shift
    for part in parts.open_parts(ticket):
        if part.status == "dispatched" and part.sign_due:
            part.sign_due += shift
        if part.status == "accepted" and part.resolve_due:
            part.resolve_due += shift
    data = {
        "paused_at": ticket.paused_at.isoformat(),
        "paused_seconds": int(shift.total_seconds()),
        "early": now < (ticket.paused_until or now),
    }
    ticket.paused_at = ticket.paused_until = None
    return data


def hide_text(ticket: Ticket, p: dict[str, Any], actor: Actor, now: datetime) -> dict[str, Any]:
    """Mark a passage that identifies the resident: departments see it blacked out."""
    text = p["text"]
    if text not in ticket.description and text not in (ticket.address or ""):
        raise FieldError("text", "the passage is not in the ticket's text")
    ticket.hidden_texts = sorted({*(ticket.hidden_texts or []), text}, key=len, reverse=True)
    return {"length": len(text)}


def redact(text: str | None, ticket: Ticket) -> str | None:
    """Black out the marked passages (and, when confidential, the resident's name and phone)."""
    if not text:
        return text
    secrets = list(ticket.hidden_texts or [])
    if ticket.confidential:
        secrets += [s for s in (ticket.name, ticket.phone) if s]
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "█" * len(secret))
    return text


HANDLERS = {
    "review_request": review_request,
    "review_reply": review_reply,
    "request_pause": request_pause,
    "decide_pause": decide_pause,
    "hide_text": hide_text,
}

# Last: actions.py adds HANDLERS to its table when it loads, whichever module loads first.
from hotline.tickets import actions  # noqa: E402
