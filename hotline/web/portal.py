"""The resident portal: write in, track a ticket, rate the result (no login)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("web_portal", __name__)


@bp.get("/")
def index():
    """Show the write-in form."""
    return render_template("portal/index.html")
