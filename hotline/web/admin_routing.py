"""Admin: switch auto-dispatch on or off for one rule (refused unless the rule earned it)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request
from flask_babel import gettext as _

from hotline.core.errors import FieldError
from hotline.routing import autodispatch
from hotline.web.admin import bp
from hotline.web.auth import current_actor, role_required


def autodispatch_state() -> dict[str, Any]:
    """Return, per rule id, its switch (on/off) and the bar it must clear."""
    return {row.rule: row.enabled for row, _record in autodispatch.switches()}


@bp.post("/rules/autodispatch")
@role_required("admin")
def switch_autodispatch():
    """Switch one rule's auto-dispatch on (if earned) or off."""
    rule = request.form.get("rule", "").strip()
    if not rule or len(rule) > 120:
        raise FieldError("rule", "name a rule")
    enable = request.form.get("enable") == "true"
    try:
        if enable:
            measured = autodispatch.enable(rule, current_actor().label)
            flash(_("规则 %(rule)s 已开启自动派单（%(record)s）。", rule=rule,
                    record=measured.describe()), "success")  # fmt: skip
        else:
            autodispatch.disable(rule, current_actor().label)
            flash(_("规则 %(rule)s 已关闭自动派单。", rule=rule), "success")
    except autodispatch.AutodispatchError as exc:
        flash(_("不能切换自动派单：%(reason)s", reason=str(exc)), "error")
    return redirect("/admin/rules", 303)
