"""Signed bearer tokens for staff API calls."""

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
    # The password hash's tail revokes old tokens when the password changes.
    return _serializer().dumps({"uid": user.id, "pw": user.password_hash[-8:]})


def user_from_token(token: str) -> User | None:
    """Return the active user a token names, or None."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-8:] != data.get("pw"):
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
    else:
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            user = current_user  # type: ignore[assignment]
    if user is None:
        if required:
            raise ApiError(401, "unauthorized", "sign in first (Authorization: Bearer <token>)")
        return None
    g.actor = Actor.of(user)
    return g.actor
