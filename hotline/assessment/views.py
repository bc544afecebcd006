"""The assessment API: the month's scores, parts, deductions and ranks, within scope."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from hotline.api.parsing import query_args
from hotline.assessment import operations
from hotline.assessment.schemas import AssessmentQuerySchema
from hotline.core.context import settings
from hotline.core.errors import Forbidden
from hotline.core.timeutil import utcnow
from hotline.users.tokens import current_actor

bp = Blueprint("assessment_api", __name__, url_prefix="/api/v1")
ROLES = ("supervisor", "admin")


def scheme():  # noqa: ANN201
    """Return the scheme loaded when the app started."""
    return current_app.extensions["hotline_assessment"]


@bp.get("/assessment")
def assessment():
    """Score the departments or areas of a month (supervisors within their unit)."""
    actor = current_actor()
    assert actor is not None
    if actor.role not in ROLES:
        raise Forbidden("the assessment is for supervisors")
    args = AssessmentQuerySchema().load(query_args())
    body = operations.assessment(
        actor, args["level"], args["month"], settings().timezone, utcnow(), scheme()
    )
    return jsonify(body)
