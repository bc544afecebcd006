"""The messages a ticket's life sends, queued in the outbox (zh-CN first, as residents expect)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.channels import installed
from hotline.core.context import settings
from hotline.core.timeutil import isoformat
from hotline.notifications.operations import queue_message
from hotline.tickets.models import Ticket

EMERGENCY_NOTICE = "紧急情况请挂机拨打110、119、120、122。"
# Written, not spoken: nobody hangs up a web form (the portal and the API say this instead).
WEB_EMERGENCY_NOTICE = (
    "如遇紧急情况，请立即拨打110、119、120、122。12345不受理紧急警情，您的留言已记录备查。"
)


def _is_mobile(phone: str) -> bool:
    return len(phone) == 11 and phone.startswith("1")


def track_url(ticket: Ticket, number: str | None = None) -> str:
    """Return the public link a resident follows to track the ticket."""
    base = settings().public_url or f"http://localhost:{settings().port}"
    return f"{base}/track?number={number or ticket.number}"


def ticket_received(ticket: Ticket) -> None:
    """Confirm the ticket number to the resident by SMS; tell the channels that watch intake."""
    tell_channels(ticket)
    body = receipt_body(ticket, ticket.number)
    if body is not None:
        queue_message("resident_receipt", ticket.phone, body, f"receipt:{ticket.id}", ticket.id)


def tell_channels(ticket: Ticket) -> None:
    """Tell the channels that watch intake of a new ticket (in its transaction)."""
    for channel in installed():
        if channel.on_ticket is not None:
            channel.on_ticket(ticket)


def channels_want(ticket: Ticket) -> bool:
    """Return whether any channel would write something of its own for this new ticket."""
    return any(
        channel.on_ticket is not None
        and (channel.wants_ticket is None or channel.wants_ticket(ticket))
        for channel in installed()
    )


def receipt_body(ticket: Ticket, number: str) -> str | None:
    """Return the receipt SMS naming ``number``, or None when the phone takes no SMS."""
    if not _is_mobile(ticket.phone):
        return None
    if ticket.proposal.is_emergency:
        return f"【12345】{EMERGENCY_NOTICE}已为您记录工单 {number}。"
    return f"【12345】您的诉求已受理，工单号 {number}。查询进度：{track_url(ticket, number)}"


def status_changed(ticket: Ticket, status: str) -> None:
    """Tell the channels that follow tickets (110 wants its matters' outcomes) of a new state."""
    for channel in installed():
        if channel.on_status is not None:
            channel.on_status(ticket, status)


def followup_question(ticket: Ticket) -> None:
    """Ask the resident to rate the result (回访)."""
    if not _is_mobile(ticket.phone):
        return
    body = (
        f"【12345】工单 {ticket.number} 已办结：{(ticket.reply or '')[:120]}"
        " 请回复 1 满意、2 基本满意、3 不满意。"
    )
    key = f"followup:{ticket.id}:{ticket.resolved_at.isoformat() if ticket.resolved_at else ''}"
    queue_message("resident_followup", ticket.phone, body, key, ticket.id)


def merged_outcome(main: Ticket) -> None:
    """Tell the residents of tickets merged into ``main`` its result, and where to rate it."""
    from sqlalchemy import select

    from hotline.core.extensions import db

    merged = db.session.scalars(
        select(Ticket).where(Ticket.merged_into_id == main.id, Ticket.status == "merged")
    )
    round_ = main.resolved_at.isoformat() if main.resolved_at else ""
    for ticket in merged:
        if not _is_mobile(ticket.phone):
            continue
        body = (
            f"【12345】您反映的问题（工单 {ticket.number}）已与相同诉求合并办理，现已答复："
            f"{(main.reply or '')[:100]} 查看并评价：{track_url(ticket)}"
        )
        key = f"merged-outcome:{ticket.id}:{round_}"
        queue_message("resident_merged_outcome", ticket.phone, body, key, ticket.id)


def department_dispatched(ticket: Ticket, now: datetime) -> None:
    """Tell the department's duty phone that a ticket arrived."""
    dept = ticket.department
    if dept is None or not dept.duty_phone:
        return
    due = isoformat(ticket.sign_due, settings().timezone)
    body = f"【12345派单】{ticket.number}（{'紧急' if ticket.urgent else ticket.type}）请于 {due} 前签收。"
    queue_message(
        "department_dispatch",
        dept.duty_phone,
        body,
        f"dispatch:{ticket.id}:{now.isoformat()}",
        ticket.id,
    )


def department_urged(ticket: Ticket, kind: str, text: str | None, now: datetime) -> None:
    """Pass an urge (催办) or supervise (督办) to the department's duty phone."""
    dept = ticket.department
    if dept is None or not dept.duty_phone:
        return
    label = "催办" if kind == "urge" else "督办"
    body = f"【12345{label}】工单 {ticket.number}：{text or '请尽快办理'}"
    queue_message(
        f"department_{kind}",
        dept.duty_phone,
        body,
        f"{kind}:{ticket.id}:{now.isoformat()}",
        ticket.id,
    )


def part_dispatched(ticket: Ticket, part: Any, now: datetime) -> None:
    """Tell an assisting department's duty phone that it has a part to sign for (协办)."""
    dept = part.department
    if dept is None or not dept.duty_phone:
        return
    due = isoformat(part.sign_due, settings().timezone)
    body = f"【12345协办】{ticket.number} 请于 {due} 前签收并提交协办意见。"
    key = f"assist:{ticket.id}:{dept.code}:{now.isoformat()}"
    queue_message("department_dispatch", dept.duty_phone, body, key, ticket.id)


def department_ruling(ticket: Ticket, what: str, reason: str | None, now: datetime) -> None:
    """Tell the department's duty phone the centre sent something back, with the ruling."""
    dept = ticket.department
    if dept is None or not dept.duty_phone:
        return
    body = (
        f"【12345审核】工单 {ticket.number}：{what}未通过，{reason or ''}。请继续办理，时限不变。"
    )
    key = f"ruling:{ticket.id}:{now.isoformat()}"
    queue_message("department_ruling", dept.duty_phone, body, key, ticket.id)
