"""Words for the accountability workflow (pauses, the reply checklist, parts) and the
confidential view of a ticket's text."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

PAUSE_REASON = {
    "waiting_resident": _l("等待市民"),
    "waiting_authority": _l("等待法院或其他机关"),
    "seasonal": _l("季节性原因"),
    "other": _l("其他"),
}
CHECKLIST = {
    "answer": _l("答复了诉求所问"),
    "basis": _l("有办理依据"),
    "result": _l("有办理结果"),
    "contact": _l("有联系人和电话"),
}
PART_STATUS = {
    "dispatched": _l("待签收"),
    "accepted": _l("办理中"),
    "contributed": _l("已提交"),
    "withdrawn": _l("已撤回"),
}
ROLE = {"lead": _l("主办"), "assist": _l("协办")}


def shown(ticket: Any, text: str | None) -> str | None:
    """Return a ticket's text as the signed-in user may read it (保密: passages hidden)."""
    from flask_login import current_user

    from hotline.tickets.workflow import redact

    role = getattr(current_user, "role", None)
    return text if role in ("operator", "admin") else redact(text, ticket)
