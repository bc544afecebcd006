"""The admin forms' words: each wrong field said in the user's language, next to it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from hotline.users.schemas import PASSWORD_MIN


def user_form_errors(messages: dict[str, Any], username: str) -> dict[str, str]:
    """Say each wrong field of the new-account form in the user's language."""

    def text(name: str) -> str:
        raw = " ".join(str(m) for m in messages.get(name) or [])
        if name == "username":
            if "already exists" in raw:
                return _("用户名 %(name)s 已被使用，请换一个。", name=username)
            return _("用户名为 2–64 位英文字母、数字或 _ . -。")
        if name == "password":
            return _("密码至少 %(n)s 位。", n=PASSWORD_MIN)
        if name == "department":
            if "needs" in raw:
                return _("承办人须选择承办单位。")
            return _("找不到该承办单位，请从搜索结果中选择。")
        if name == "org_unit":
            if "needs" in raw:
                return _("督办员须填写区域编码。")
            return _("找不到该区域编码。")
        if name == "role":
            return _("请选择角色。")
        return _("填写有误。")

    return {name: text(name) for name in messages}


def department_form_errors(messages: dict[str, Any]) -> dict[str, str]:
    """Say each wrong field of a department's duty phone form in the user's language."""
    words = {"duty_phone": _("值班电话须为手机号或带区号的固定电话，如 028-85551234。")}
    return {name: words.get(name, _("填写有误。")) for name in messages}


def article_form_errors(messages: dict[str, Any]) -> dict[str, str]:
    """Say each wrong field of the knowledge article form in the user's language."""

    def text(name: str) -> str:
        raw = " ".join(str(m) for m in messages.get(name) or [])
        if name == "title":
            if "exists" in raw:
                return _("已有同名的标准答复，请换一个标题。")
            return _("请填写标题（不超过 120 字）。")
        if name == "body":
            return _("请填写答复内容（不超过 8000 字）。")
        if name == "keywords":
            return _("关键词不超过 300 字。")
        return _("填写有误。")

    return {name: text(name) for name in messages}


def key_form_errors(messages: dict[str, Any]) -> dict[str, str]:
    """Say each wrong field of the new API key form in the user's language."""
    words = {"name": _("请填写应用名称（1–80 字）。")}
    return {name: words.get(name, _("填写有误。")) for name in messages}
