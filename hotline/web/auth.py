"""Staff sign-in and sign-out, the login manager and the role guard of the consoles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from marshmallow import Schema, ValidationError, fields, validate

from hotline.api.ratelimit import rate_limited
from hotline.core import permissions
from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.users.models import User
from hotline.users.operations import authenticate

bp = Blueprint("web_auth", __name__)
login_manager = LoginManager()


class LoginSchema(Schema):
    """The sign-in form."""

    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, validate=validate.Length(1, 200))
    next = fields.String(load_default=None)
    csrf_token = fields.String(load_default=None)


ROLE_LABELS = {
    "operator": lazy_gettext("话务员"),
    "agent": lazy_gettext("承办单位"),
    "supervisor": lazy_gettext("督办员"),
    "admin": lazy_gettext("管理员"),
}
# The menu's words for each console (who may open which: core.permissions).
CONSOLE_LABELS = {
    "operator": lazy_gettext("受理台"),
    "department": lazy_gettext("部门工单"),
    "supervisor": lazy_gettext("督查督办"),
    "search": lazy_gettext("工单检索"),
    "admin": lazy_gettext("系统管理"),
    "public": lazy_gettext("政务公开"),
}


def init_app(app: Flask) -> None:
    """Bind Flask-Login to ``app`` and give templates the menu and the CSRF field."""
    login_manager.init_app(app)
    login_manager.login_view = "web_auth.login"
    login_manager.login_message = lazy_gettext("请先登录。")
    login_manager.login_message_category = "info"

    @app.context_processor
    def _menu() -> dict[str, Any]:
        items = []
        home = "/"
        if current_user.is_authenticated:
            role = current_user.role
            items = [
                {"url": f"/{console}", "label": CONSOLE_LABELS[console]}
                for console in permissions.CONSOLES
                if permissions.may_open(role, console)
            ]
            home = home_for(current_user)
        return {
            "nav_items": items,
            "home_url": home,
            "role_label": lambda role: ROLE_LABELS.get(role, role),
            "csrf_field": _csrf_field,
        }


def _csrf_field() -> Markup:
    """Return the hidden CSRF input every form carries."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def current_actor() -> Actor:
    """Return the signed-in user as the Actor every operation takes."""
    return Actor.of(current_user)  # type: ignore[arg-type]


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let in signed-in users of ``roles`` (admins always); others get 403, strangers /login."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            rights = permissions.role(current_user.role)
            if not rights.superuser and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def home_for(user: User) -> str:
    """Return the console a user lands on."""
    console = permissions.home_console(user.role)
    return f"/{console}" if console else "/"


def _safe_next(target: str | None) -> str | None:
    """Accept only a local path, so the login form cannot send anyone off-site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@rate_limited("login")
def login():
    """Show the sign-in form and sign a member of staff in."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")) or home_for(current_user))
    error = None
    username = ""
    if request.method == "POST":
        try:
            data = LoginSchema().load(request.form.to_dict())
        except ValidationError:
            data = None
        username = (data or {}).get("username") or request.form.get("username", "")[:64]
        user = authenticate(data["username"], data["password"]) if data else None
        if user is not None:
            login_user(user)
            flash(_("欢迎，%(name)s。", name=user.label), "success")
            return redirect(_safe_next(data.get("next")) or home_for(user))
        error = _("用户名或密码不正确。")
    status = 401 if error else 200
    return (
        render_template(
            "login.html", error=error, username=username, next=request.args.get("next", "")
        ),
        status,
    )


@bp.post("/logout")
def logout():
    """Sign out and go back to the sign-in form."""
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("web_auth.login"))
