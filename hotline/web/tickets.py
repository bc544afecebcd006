"""The full ticket page shared by every staff console."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web_tickets", __name__, url_prefix="/tickets")
