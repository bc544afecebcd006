"""The department inbox: tickets by state with live deadlines; sign, return, resolve."""

from __future__ import annotations

from flask import Blueprint, render_template

from hotline.web.auth import role_required

bp = Blueprint("web_department", __name__, url_prefix="/department")


@bp.get("")
@role_required("agent")
def index():
    """Show the department's tickets."""
    return render_template("department/index.html")
