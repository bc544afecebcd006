"""The early warnings API: the surges in a supervisor's area, and acknowledging one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import Forbidden
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat, utcnow
from hotline.early_warning import operations
from hotline.early_warning.models import EarlyWarning
from hotline.org.models import OrgUnit
from hotline.users.tokens import current_actor

bp = Blueprint("early_warning_api", __name__, url_prefix="/api/v1/early-warnings")


def _supervisor() -> Actor:
    actor = current_actor()
    assert actor is not None
    if actor.role not in ("supervisor", "admin"):
        raise Forbidden("early warnings are for supervisors")
    return actor


def warning_json(warning: EarlyWarning) -> dict[str, Any]:
    """Return a warning as the API and the console show it."""
    tz = settings().timezone
    unit = db.session.get(OrgUnit, warning.org_unit_code)
    return {
        "id": warning.id,
        "function": warning.function,
        "org_unit": {"code": warning.org_unit_code, "name": unit.name if unit else None},
        "count": warning.count,
        "baseline": warning.baseline,
        "window_start": isoformat(warning.window_start, tz),
        "window_end": isoformat(warning.window_end, tz),
        "created_at": isoformat(warning.created_at, tz),
        "acknowledged_at": isoformat(warning.acknowledged_at, tz),
        "acknowledged_by": warning.acknowledged_by,
    }


@bp.get("")
def index():
    """List the warnings of the supervisor's area, newest first."""
    items = [warning_json(w) for w in operations.in_scope(_supervisor())]
    return jsonify({"items": items})


@bp.post("/<int:warning_id>/acknowledge")
def acknowledge(warning_id: int):
    """Mark a warning as seen."""
    warning = operations.acknowledge(warning_id, _supervisor(), utcnow())
    return jsonify(warning_json(warning))
