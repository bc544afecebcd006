"""Signed bearer tokens for staff API calls.

A token names the user and the user's auth_epoch when it was issued, nothing else (no
password material). Sign-out, a new password and deactivation bump the epoch, so every token
issued before stops working, and reactivating an account does not bring old tokens back.
"""

from __future__ import annotations

from typing import Literal, overload

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from hotline.api.errors import ApiError
from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.users.models import User

TOKEN_MAX_AGE = 12 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hotline-api-token")


def issue_token(user: User) -> str:
    """Return a token naming ``user``, valid for a working shift."""
    return _serializer().dumps({"uid": user.id, "ep": user.auth_epoch})


def user_from_token(token: str) -> User | None:
    """Return the active user a token names, or None."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    uid, epoch = data.get("uid"), data.get("ep")
    if not isinstance(uid, int) or not isinstance(epoch, int):
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.auth_epoch != epoch:
        return None
    return user


@overload
def current_actor(required: Literal[True] = True) -> Actor: ...


@overload
def current_actor(required: bool) -> Actor | None: ...


def current_actor(required: bool = True) -> Actor | None:
    """Return the staff actor of this request (bearer token or signed-in session)."""
    if "actor" in g:
        return g.actor
    user: User | None = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_from_token(header.removeprefix("Bearer ").strip())
        if user is None:
            raise ApiError(401, "unauthorized", "the token is invalid or expired")
    elif _may_have_session():
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            user = current_user  # type: ignore[assignment]
    if user is None:
        if required:
            raise ApiError(401, "unauthorized", "sign in first (Authorization: Bearer <token>)")
        return None
    g.actor = Actor.of(user)
    return g.actor


def _may_have_session() -> bool:
    """Tell whether the request carries a session or remember-me cookie (else: nobody signed in).

    Residents' intake calls carry neither: Flask-Login need not open a session for them.
    """
    config = current_app.config
    return bool(
        request.cookies.get(config.get("SESSION_COOKIE_NAME") or "session")
        or request.cookies.get(config.get("REMEMBER_COOKIE_NAME") or "remember_token")
    )
