"""Errors of web pages as HTML pages (the JSON API keeps its JSON errors)."""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from hotline.api.errors import ApiError, http_status
from hotline.channels import exempt_prefixes
from hotline.core.errors import DomainError

TITLES = {
    400: _l("请求有误"),
    401: _l("请先登录"),
    403: _l("无权访问"),
    404: _l("未找到"),
    405: _l("不支持的操作"),
    409: _l("操作冲突"),
    422: _l("填写有误"),
    429: _l("操作过于频繁"),
}


# Core error codes in words a user understands.
CODE_MESSAGES = {
    "forbidden": _l("您无权对该工单执行此操作。"),
    "stale_version": _l("工单刚被他人修改，请刷新后重试。"),
    "invalid_state": _l("当前状态下不能执行此操作。"),
    "rate_limited": _l("操作过于频繁，请一分钟后再试。"),
    "not_found": _l("未找到要查看的记录，可能已被删除或不在您的权限范围内。"),
}


# The core's specific reasons for a refusal (its ``reason``), in words; the code's is the fallback.
REASON_MESSAGES = {
    "invalid_file": _l("附件须为照片（JPG/PNG/GIF/WebP）、MP4视频或PDF，且不超过大小和数量限制。"),
    "extension_pending": _l("已有延期申请待审批，请等待审批结果。"),
    "no_pending_extension": _l("没有待审批的延期申请。"),
    "already_rated": _l("该办理结果已评价过。"),
    "never_handled": _l("只有承办单位办理过的工单才能重办。"),
    "not_rated": _l("该工单尚未评价，无需排除。"),
    "rating_excluded": _l("该评价已不计入考核。"),
    "rating_not_excluded": _l("该评价本就计入考核。"),
}
# Refusals by the state table itself (tickets.states.check), not by the ticket's data.
TABLE_REASONS = ("role", "state")


def message_for(error: ApiError | DomainError) -> str:
    """Return a translated message for a core error: its specific reason when we know it."""
    reason = getattr(error, "reason", None)
    if reason in REASON_MESSAGES:
        return str(REASON_MESSAGES[reason])
    if error.code in CODE_MESSAGES:
        return str(CODE_MESSAGES[error.code])
    if error.fields:
        return "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in error.fields.items())
    return error.message


def transition_message(error: DomainError) -> str:
    """Say why the state refused an action; a dispatch that lost the race says so."""
    action = request.form.get("action") or request.path.rstrip("/").rsplit("/", 1)[-1]
    if error.code == "invalid_state" and action == "dispatch":
        return _("该工单已被他人派单（或已不在待分拨状态），请刷新后查看。")
    if error.code == "forbidden":
        return str(CODE_MESSAGES["forbidden"])
    return _("当前状态下不能执行此操作。")


def is_web_request() -> bool:
    """Tell whether this request belongs to an HTML page rather than the API or a webhook."""
    return not request.path.startswith(exempt_prefixes())


def error_page(status: int, message: str | None = None) -> tuple[str, int]:
    """Render the error page for ``status``."""
    title = str(TITLES.get(status, _l("出错了")))
    return render_template("error.html", status=status, title=title, message=message), status


def flash_back(message: str, status: int) -> Any:
    """After a refused form submission, flash why and go back to the page it came from."""
    if request.headers.get("HX-Request") == "true":
        # An action taken in place: the page stays as it is and shows the message.
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}
    flash(message, "error")
    target = request.referrer
    if target and target.startswith(request.host_url):
        return redirect(target, 303)
    return error_page(status, message)


def _refused(error: ApiError | DomainError) -> Any:
    status = http_status(error)
    if request.method == "POST" and status not in (404, 429):
        return flash_back(message_for(error), status)
    return error_page(status, message_for(error))


def init_app(app: Flask) -> None:
    """Wrap the JSON handlers: web requests get HTML, API requests what they had."""
    spec = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    # api.errors registered these first: the JSON answers stay theirs.
    json_handlers: dict[type, Any] = {c: spec[c] for c in (ApiError, ValidationError, DomainError)}
    json_http = spec.get(HTTPException)

    @app.errorhandler(ApiError)
    def _api(error: ApiError) -> Any:
        if not is_web_request():
            return json_handlers[ApiError](error)
        return _refused(error)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Any:
        if not is_web_request():
            return json_handlers[DomainError](error)
        if error.reason in TABLE_REASONS or error.code == "unknown_action":
            return flash_back(transition_message(error), 409)
        return _refused(error)

    @app.errorhandler(ValidationError)
    def _invalid(error: ValidationError) -> Any:
        if not is_web_request():
            return json_handlers[ValidationError](error)
        return flash_back(_("填写有误，请检查后重试。"), 400)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        if not is_web_request() or (error.code or 500) < 400:
            return json_http(error) if json_http else error
        return error_page(error.code or 500, error.description if error.code == 400 else None)
