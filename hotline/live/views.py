"""GET /live/stamp: 304 while nothing changed, else the new stamp (the console then reloads)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, session

from hotline.live.stamp import current_stamp

bp = Blueprint("live", __name__)


@bp.app_template_global("live_stamp")
def live_stamp() -> str:
    """Return the stamp a console page is rendered at (its first poll compares with it)."""
    return current_stamp()


@bp.get("/live/stamp")
def stamp() -> Response:
    """Answer a console's poll; only the signed session cookie is read (no database row)."""
    # Flask-Login keeps the user id in the signed session: enough to refuse strangers without
    # loading the user on every poll (the page fetch that follows a change checks fully).
    if not session.get("_user_id"):
        response = jsonify({"error": {"code": "unauthorized", "message": "sign in first"}})
        response.status_code = 401
        return response
    etag = current_stamp()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = jsonify({"stamp": etag})
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response
