"""Words for codes (states, types, actions, functions) and the router's trace, for templates."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # the name pybabel extracts with a context
from flask_babel.speaklater import LazyString

from hotline.core.durations import human_duration
from hotline.core.vocabulary import PAUSE_REASONS, REPLY_CHECKLIST
from hotline.web import workflow_labels
from hotline.web.i18n import remembered, translated_table, word_filter

# Status words as DOMAIN.md has them; a context keeps them apart from the same words used for
# actions (直接答复 the action is "Answer", the state "Answered"). Lazy: read per request.
STATUS = {
    "received": pgettext("status", "已受理"),
    "answered": pgettext("status", "直接答复"),
    "dispatched": pgettext("status", "已派单"),
    "accepted": pgettext("status", "已签收"),
    "returned": pgettext("status", "已退单"),
    "reviewing": pgettext("status", "待审核"),
    "resolved": pgettext("status", "已办结"),
    "closed": pgettext("status", "已归档"),
    "merged": pgettext("status", "已合并"),
}
STATUS_BADGE = {
    "received": "info",
    "answered": "ok",
    "dispatched": "info",
    "accepted": "info",
    "returned": "warn",
    "reviewing": "warn",
    "resolved": "ok",
    "closed": "muted",
    "merged": "muted",
}
TYPE = {
    "consultation": _l("咨询"),
    "help": _l("求助"),
    "suggestion": _l("建议"),
    "complaint": _l("投诉"),
    "report": _l("举报"),
    "praise": _l("表扬"),
}
CHANNEL = {
    "web": _l("网站"),
    "phone": _l("电话"),
    "sms": _l("短信"),
    "open311": _l("Open311"),
    "api": _l("接口"),
    "110": _l("110联动"),
}
RATING = {
    "satisfied": _l("满意"),
    "basically_satisfied": _l("基本满意"),
    "unsatisfied": _l("不满意"),
}
LEVEL = {
    "city": _l("市级"),
    "district": _l("区级"),
    "township": _l("街道"),
    "community": _l("社区"),
}
CALL_OUTCOME = {
    "reached": _l("已接通"),
    "not_reached": _l("未接通"),
    "refused": _l("拒绝回访"),
}
FOLLOWUP_RESULT = {"unreachable": _l("未接通"), "refused": _l("拒绝回访")}
ESCALATION = {"warning": _l("预警"), "overdue": _l("超期"), "escalate": _l("升级督办")}
ACTION = {
    "create": _l("受理登记"),
    "route": _l("智能分拨建议"),
    "dispatch": _l("派单"),
    "sign": _l("签收"),
    "return": _l("退回"),
    "transfer": _l("转办"),
    "note": _l("备注"),
    "request_extension": _l("申请延期"),
    "decide_extension": _l("延期审批"),
    "resolve": _l("办结"),
    "answer": _l("直接答复"),
    "rate": _l("评价"),
    "reopen": _l("重办"),
    "close": _l("归档"),
    "merge": _l("合并"),
    "urge": _l("催办"),
    "supervise": _l("督办"),
    "mark_urgent": _l("标记紧急"),
    "requeue": _l("重新受理"),
    "followup_call": _l("回访电话"),
    "exclude_rating": _l("评价不计入考核"),
    "restore_rating": _l("恢复评价计入"),
    "resident_note": _l("市民补充"),
    "warning": _l("临期预警"),
    "overdue": _l("超期"),
    "escalate": _l("升级"),
    "notify": _l("通知"),
    "return_request": _l("申请退回"),
    "transfer_request": _l("申请转办"),
    "review_request": _l("审核退回/转办申请"),
    "review_reply": _l("办结审核"),
    "request_pause": _l("申请挂起"),
    "decide_pause": _l("挂起审批"),
    "resume": _l("恢复计时"),
    "contribute": _l("提交协办意见"),
    "part_sign": _l("协办签收"),
    "part_note": _l("协办备注"),
    "part_contribute": _l("协办意见"),
    "hide_text": _l("隐去身份信息"),
    "attach": _l("上传附件"),
    "edit": _l("更正事实"),
    "recall": _l("收回"),
    "reroute": _l("重新分拨建议"),
}
# What the resident reads on /track for each public step.
PUBLIC_STEP = {
    "create": _l("您的诉求已受理"),
    "dispatch": _l("已转交承办单位办理"),
    "sign": _l("承办单位已签收"),
    "transfer": _l("已转交其他承办单位"),
    "resolve": _l("承办单位已办结并答复"),
    "review_reply": _l("承办单位已办结并答复"),
    "answer": _l("话务员已直接答复"),
    "rate": _l("已收到您的评价"),
    "reopen": _l("已重新办理"),
    "requeue": _l("已重新受理，话务员将再次处理"),
    "close": _l("工单已归档"),
    "merge": _l("已与相同诉求合并办理"),
    "attach": _l("已上传图片或文件"),
    "recall": _l("工单正在重新分派承办单位"),
}
FUNCTION = {
    "general": _l("综合"),
    "urban_management": _l("城市管理"),
    "housing": _l("住房建设"),
    "water": _l("水务"),
    "utilities": _l("水电气讯"),
    "transport": _l("交通运输"),
    "traffic_police": _l("公安交管"),
    "public_security": _l("公安"),
    "environment": _l("生态环境"),
    "market_regulation": _l("市场监管"),
    "human_resources": _l("人力社保"),
    "health": _l("卫生健康"),
    "education": _l("教育"),
    "civil_affairs": _l("民政"),
    "natural_resources": _l("规划和自然资源"),
    "agriculture": _l("农业农村"),
    "emergency_management": _l("应急管理"),
    "culture_tourism": _l("文化旅游"),
    "commerce": _l("商务"),
    "postal": _l("邮政管理"),
    "medical_security": _l("医疗保障"),
}


# The statistics pages (supervisor board, admin, public figures) name codes the same way.
FUNCTION_LABELS = FUNCTION
TYPE_LABELS = TYPE
LEVEL_LABELS = {
    "city": _l("市级"),
    "district": _l("区（市）县级"),
    "township": _l("街道（乡镇）级"),
    "community": _l("村（社区）级"),
}
METRIC_LABELS = {
    "response_rate": _l("响应率"),
    "resolution_rate": _l("解决率"),
    "satisfaction_rate": _l("满意率"),
}
STEP_LABELS = {"sign": _l("签收"), "resolve": _l("办结"), "followup": _l("回访")}


def duration(seconds: float | int | None) -> str:
    """Say how long (overdue) in the user's language: 2天3小时 / 2d 3h, 45分钟 / 45 min."""
    return human_duration(seconds, remembered)


def escalation_badge(level: str | None) -> str:
    """Say a ticket's escalation level as its badge: who supervises it now (督办：市级)."""
    if not level:
        return ""
    return remembered("督办：%(level)s", level=LEVEL_LABELS.get(level, level))


def warning_ratio() -> float:
    """Return the share of a limit after which the yellow warning falls due (0.8 by default)."""
    from hotline.core.context import clock

    return clock().limits.warning_ratio


def percent(value: float | None) -> str:
    """Format a rate as a percentage with one decimal, or a dash when there is none."""
    return "—" if value is None else f"{value * 100:.1f}%"


ACTORS = {"resident": _l("市民"), "system": _l("系统"), "system/auto-dispatch": _l("系统自动派单")}
# Steps that decided the proposal come first; rules that lost or were rejected after them.
_DECISIVE = {"place": 0, "emergency": 1, "urgency": 2, "department": 4, "default": 4}


def trace_order(trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order the router's trace so the reasons for the proposal come first."""

    def rank(step: dict[str, Any]) -> int:
        if step.get("step") == "rule":
            return {"won": 3, "flag": 3, "supported": 3}.get(step.get("outcome") or "", 9)
        return _DECISIVE.get(step.get("step") or "", 8)

    return sorted(trace, key=rank)


def decisive(step: dict[str, Any]) -> bool:
    """Tell whether a trace step counted towards the proposal (not a lost or rejected rule)."""
    return step.get("step") != "rule" or step.get("outcome") in ("won", "flag", "supported")


def _words(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    return str(value)


def explain(step: dict[str, Any]) -> str:
    """Say one step of the router's trace in a sentence an operator reads at a glance."""
    kind = step.get("step")
    if kind == "place":
        level = LEVEL.get(step.get("level") or "")
        found = _words(step.get("matched") or []) or _("无")
        text = _(
            "地点：精确到%(level)s，识别地名：%(found)s", level=level or _("未识别"), found=found
        )
        if step.get("ambiguous"):
            text += _("（有歧义）")
        return text
    if kind == "rule":
        rule, outcome = step.get("rule", "?"), step.get("outcome")
        terms = _words(step.get("matched") or [])
        if outcome == "won":
            return _("规则 %(rule)s 命中（关键词：%(terms)s），采用", rule=rule, terms=terms)
        if outcome == "flag":
            return _("规则 %(rule)s 命中（关键词：%(terms)s），作为标记", rule=rule, terms=terms)
        if outcome == "supported":
            return _(
                "规则 %(rule)s 命中（关键词：%(terms)s），支持同一职能", rule=rule, terms=terms
            )
        if outcome == "lost":
            return _(
                "规则 %(rule)s 命中但未采用：%(reason)s", rule=rule, reason=step.get("reason", "")
            )
        return _("规则 %(rule)s 未采用：%(reason)s", rule=rule, reason=step.get("reason", ""))
    if kind == "scores":
        scores = "、".join(f"{k} {v}" for k, v in (step.get("scores") or {}).items())
        return _("各职能得分：%(scores)s；置信度 %(confidence)s", scores=scores,
                 confidence=step.get("confidence", 0))  # fmt: skip
    if kind == "emergency":
        return _("紧急情况：提醒来电人拨打报警或急救电话")
    if kind == "urgency":
        return _("紧急用语：%(words)s", words=_words(step.get("words") or []))
    if kind == "default":
        return _("无规则命中，转12345中心人工分拨")
    if kind == "assist":
        return _("规则 %(rule)s 另有依据，建议 %(chosen)s 协办", rule=step.get("rule", "?"),
                 chosen=step.get("chosen", ""))  # fmt: skip
    if kind == "department":
        if "chosen" in step:
            function, _at, level = str(step.get("wanted", "")).partition("@")
            wanted = f"{FUNCTION.get(function, function)}（{LEVEL_LABELS.get(level, level)}）"
            text = _("承办单位：需要 %(wanted)s，选定 %(chosen)s", wanted=wanted,
                     chosen=step.get("chosen", ""))  # fmt: skip
            if step.get("fallback"):
                # The directory's notes are for developers; say what they mean.
                text += _("（本级没有对应单位，已逐级调整）")
            return text
        return _("规则指定的承办单位不存在，转12345中心人工分拨")
    if kind == "fallback":
        return _fallback(step)
    rest = ", ".join(f"{k}={v}" for k, v in step.items() if k != "step")
    return f"{kind}: {rest}"


def _fallback(step: dict[str, Any]) -> str:
    """Say what the statistical fallback (trained on this centre's dispatches) proposed."""
    function, _sep, level = str(step.get("label") or "").partition("@")
    label = f"{FUNCTION.get(function, function)}·{LEVEL.get(level, level)}"
    probability = percent(step.get("probability"))
    if step.get("outcome") == "proposed":
        return _("无规则依据；统计模型建议 %(label)s（概率 %(p)s），选定 %(chosen)s",
                 label=label, p=probability, chosen=step.get("chosen", ""))  # fmt: skip
    return _("无规则依据；统计模型把握不足（%(label)s，概率 %(p)s）", label=label, p=probability)


class _TemplateLabels:
    """This module as the templates read it (``labels``): each table of lazy strings in the
    page's language as plain strings (i18n.translated_table); everything else as it is.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            value = globals()[name]
        except KeyError:
            raise AttributeError(name) from None
        if not isinstance(value, dict) or not any(
            isinstance(v, LazyString) for v in value.values()
        ):
            return value
        return translated_table(str(get_locale()), name, value)


TEMPLATE_LABELS = _TemplateLabels()


def init_app(app: Flask) -> None:
    """Expose the label maps as Jinja filters, and to other packages (core.context.label)."""
    app.extensions["hotline_labels"] = {
        "function": FUNCTION, "type": TYPE, "channel": CHANNEL, "status": STATUS,
        "level": LEVEL, "rating": RATING, "level_long": LEVEL_LABELS, "step": STEP_LABELS,
    }  # fmt: skip

    filters = {
        "status_label": STATUS,
        "type_label": TYPE,
        "channel_label": CHANNEL,
        "rating_label": RATING,
        "level_label": LEVEL,
        "action_label": ACTION,
        "function_label": FUNCTION,
        "escalation_label": ESCALATION,
        "public_step": PUBLIC_STEP,
        "call_outcome_label": CALL_OUTCOME,
        "followup_result_label": FOLLOWUP_RESULT,
        "pause_reason_label": workflow_labels.PAUSE_REASON,
        "checklist_label": workflow_labels.CHECKLIST,
        "part_status_label": workflow_labels.PART_STATUS,
        "part_role_label": workflow_labels.ROLE,
    }
    for name, table in filters.items():
        app.jinja_env.filters[name] = word_filter(name, table)
    app.jinja_env.filters["step_label"] = word_filter("step_label", STEP_LABELS)
    app.jinja_env.globals["d0"] = lambda event: event.data or {}
    app.jinja_env.filters["status_badge"] = lambda s: STATUS_BADGE.get(s, "muted")
    app.jinja_env.filters["explain"] = explain
    app.jinja_env.filters["escalation_badge"] = escalation_badge
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.globals["warning_ratio"] = warning_ratio
    app.jinja_env.filters["trace_order"] = trace_order
    app.jinja_env.filters["actor_label"] = lambda name: ACTORS.get(name, name)
    app.jinja_env.filters["decisive"] = decisive
    app.jinja_env.globals["pause_reasons"] = PAUSE_REASONS
    app.jinja_env.globals["reply_checklist"] = REPLY_CHECKLIST
    app.jinja_env.globals["shown"] = workflow_labels.shown
