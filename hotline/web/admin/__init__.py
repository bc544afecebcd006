"""Admin pages, one module per tab: accounts, departments, knowledge, API keys, rules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from hotline.api.errors import http_status
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.web import labels

bp = Blueprint("web_admin", __name__, url_prefix="/admin")


def form_data(*extra: str) -> dict[str, Any]:
    """Return the posted form without its CSRF token and empty fields (absent, not blank)."""
    data = {k: v for k, v in request.form.items() if k != "csrf_token" and v.strip() != ""}
    for name in extra:
        data.setdefault(name, request.form.get(name, ""))
    return data


def refused(error: ValidationError | DomainError) -> tuple[dict[str, Any], int]:
    """Return a refused form's wrong fields and its status; re-raise what no field explains."""
    if isinstance(error, DomainError) and not error.fields:
        raise error  # not found, forbidden…: the error pages say those
    db.session.rollback()
    flash(_("请检查标红的内容。"), "error")
    if isinstance(error, ValidationError):
        messages = error.messages if isinstance(error.messages, dict) else {}
        return messages, 400
    return error.fields or {}, http_status(error)


def page(template: str, tab: str, **context: Any) -> str:
    """Render an admin page with its tabs."""
    return render_template(template, tab=tab, wide=True, labels=labels.TEMPLATE_LABELS, **context)


# The tabs register their routes on bp.
from hotline.web.admin import accounts, departments, keys, knowledge, rules  # noqa: E402,F401
