"""The operator console: triage queue, dispatch, answer, urgent, merge, follow-up."""

from __future__ import annotations

from flask import Blueprint, render_template

from hotline.web.auth import role_required

bp = Blueprint("web_operator", __name__, url_prefix="/operator")


@bp.get("")
@role_required("operator")
def index():
    """Show the triage queue."""
    return render_template("operator/index.html")
