"""Who hears of a warning, a red card or an escalation: the department and the level above."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat
from hotline.notifications.operations import queue_message
from hotline.sla import plan
from hotline.tickets.models import Ticket
from hotline.users.models import User


def _supervisor_phones(unit_code: str, cache: dict[str, list[tuple[int, str]]]) -> list:
    if unit_code not in cache:
        cache[unit_code] = list(
            db.session.execute(
                select(User.id, User.phone).where(
                    User.role == "supervisor",
                    User.active.is_(True),
                    User.org_unit_code == unit_code,
                    User.phone.is_not(None),
                )
            )
        )
    return cache[unit_code]


def notify(ticket: Ticket, act: plan.Act, data: dict[str, Any], cache: dict) -> None:
    """Tell the department's duty phone and, from the red card on, the level's supervisors."""
    tz = settings().timezone
    step = plan.STEP_LABELS[act.step]
    if act.kind == "warning":
        body = f"【12345黄牌预警】工单 {ticket.number} 须于 {isoformat(act.due, tz)} 前{step}，请抓紧办理。"
    else:
        label = "红牌" if act.kind == "overdue" else "督办升级"
        body = (
            f"【12345{label}】工单 {ticket.number} {step}已超时{data['overdue_human']}"
            f"（期限 {isoformat(act.due, tz)}），已升级至{plan.LEVEL_LABELS[act.level]}督办。"
        )
    key = f"sla:{ticket.id}:{act.mark_step}:{act.kind}:{act.level}:{act.round:%Y%m%d%H%M%S}"
    dept = ticket.department
    if act.part is not None:
        dept = next((p.department for p in ticket.parts if p.id == act.part), None)
    if dept is not None and dept.duty_phone:
        queue_message(f"sla_{act.kind}", dept.duty_phone, body, f"{key}:dept", ticket.id)
    if act.kind == "warning" or dept is None:
        return
    unit = plan.unit_at(dept.org_unit_code, act.level)
    for user_id, phone in _supervisor_phones(unit, cache):
        queue_message(f"sla_{act.kind}", phone, body, f"{key}:u{user_id}", ticket.id)
