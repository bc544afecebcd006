"""Staff sign-in for the API: exchange a username and password for a bearer token."""

from __future__ import annotations

from flask import Blueprint, jsonify

from hotline.api.errors import ApiError
from hotline.api.parsing import json_body
from hotline.api.ratelimit import rate_limited
from hotline.users.operations import AccountLocked, authenticate
from hotline.users.schemas import TokenRequestSchema
from hotline.users.tokens import TOKEN_MAX_AGE, current_actor, issue_token

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")


@bp.post("/auth/token")
@rate_limited("login")
def token():
    """Return a token for valid credentials, 401 otherwise."""
    data = TokenRequestSchema().load(json_body())
    try:
        user = authenticate(data["username"], data["password"])
    except AccountLocked as locked:
        raise ApiError(
            429,
            "account_locked",
            f"too many failed sign-ins: the account is locked for {locked.minutes} more minutes",
            headers={"Retry-After": str(locked.seconds)},
        ) from None
    if user is None:
        raise ApiError(401, "unauthorized", "wrong username or password")
    return jsonify({"token": issue_token(user), "expires_in": TOKEN_MAX_AGE, "role": user.role})


@bp.get("/me")
def me():
    """Return who the token belongs to."""
    actor = current_actor()
    return jsonify(
        {
            "name": actor.label,
            "role": actor.role,
            "department": actor.department_code,
            "org_unit": actor.org_unit_code,
        }
    )
