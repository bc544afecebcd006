"""Admin pages, one module per tab: accounts, departments, knowledge, API keys, rules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from hotline.web import labels

bp = Blueprint("web_admin", __name__, url_prefix="/admin")


def form_data(*extra: str) -> dict[str, Any]:
    """Return the posted form without its CSRF token and empty fields (absent, not blank)."""
    data = {k: v for k, v in request.form.items() if k != "csrf_token" and v.strip() != ""}
    for name in extra:
        data.setdefault(name, request.form.get(name, ""))
    return data


def page(template: str, tab: str, **context: Any) -> str:
    """Render an admin page with its tabs."""
    return render_template(template, tab=tab, wide=True, labels=labels, **context)


# The tabs register their routes on bp.
from hotline.web.admin import accounts, departments, keys, knowledge, rules  # noqa: E402,F401
