"""Staff sign-in and sign-out, the login manager and the role guard of the consoles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
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
from hotline.users.operations import AccountLocked, authenticate

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
    "agent": lazy_gettext("承办人"),
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
            if role == "supervisor" or getattr(current_user, "reviewer", False):
                # The centre's review queue (审核), for reviewers and supervisors.
                items.insert(1, {"url": "/review", "label": lazy_gettext("审核")})
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


# Session key: the user's auth_epoch when this session signed in (see User.revoke_sessions).
EPOCH = "auth_epoch"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or session.get(EPOCH) != user.auth_epoch:
        return None
    return user


def sign_in(user: User) -> None:
    """Start a session for ``user`` that ends on sign-out, a new password or idle time."""
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user)
    session[EPOCH] = user.auth_epoch
    # Permanent sessions are re-signed on every request and refused once older than
    # HOTLINE_SESSION_IDLE_MINUTES (PERMANENT_SESSION_LIFETIME): an idle timeout.
    session.permanent = True


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
    # Control characters would break the Location header; a backslash reads as "//" to browsers.
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
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
        status = 401
        try:
            user = authenticate(data["username"], data["password"]) if data else None
        except AccountLocked as locked:
            user = None
            status = 429
            error = _(
                "该账号因多次登录失败已被锁定，请 %(minutes)d 分钟后再试，或联系管理员重置密码。",
                minutes=locked.minutes,
            )
        if user is not None:
            sign_in(user)
            flash(_("欢迎，%(name)s。", name=user.label), "success")
            return redirect(_safe_next(data.get("next")) or home_for(user))
        error = error or _("用户名或密码不正确。")
    else:
        status = 200
    return (
        render_template(
            "login.html", error=error, username=username, next=request.args.get("next", "")
        ),
        status,
    )


@bp.post("/logout")
def logout():
    """Sign out everywhere (every session and API token of the user) and go to the sign-in form."""
    if current_user.is_authenticated:
        current_user.revoke_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("web_auth.login"))
