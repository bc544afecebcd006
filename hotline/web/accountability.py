"""Supervisor pages of accountability in figures: assessment, report, warnings and topics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _

from hotline.api.parsing import query_args
from hotline.assessment import operations as assessment_ops
from hotline.assessment.schemas import AssessmentQuerySchema
from hotline.core.context import settings
from hotline.core.timeutil import to_local, utcnow
from hotline.core.vocabulary import FUNCTIONS
from hotline.early_warning import operations as warning_ops
from hotline.reports.cli import RENDERERS, build_report
from hotline.topics import operations as topic_ops
from hotline.topics.schemas import (
    TaskCreateSchema,
    TaskDoneSchema,
    TopicCloseSchema,
    TopicCreateSchema,
)
from hotline.web.auth import current_actor, role_required
from hotline.web.supervisor import _common

bp = Blueprint("web_accountability", __name__, url_prefix="/supervisor")
MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _this_month() -> str:
    local = to_local(utcnow(), settings().timezone)
    assert local is not None
    return f"{local:%Y-%m}"


def _form(*names: str) -> dict[str, Any]:
    """Return the named form fields, blanks left out (marshmallow then says what is missing)."""
    return {n: request.form[n].strip() for n in names if request.form.get(n, "").strip()}


@bp.get("/assessment")
@role_required("supervisor")
def assessment():
    """Show the month's scores and ranks, with the month before, and the report downloads."""
    actor = current_actor()
    query = {"month": _this_month(), "level": "district"} | query_args()
    args = AssessmentQuerySchema().load(query)
    body = assessment_ops.assessment(actor, args["level"], args["month"], settings().timezone,
                                     utcnow(), current_app.extensions["hotline_assessment"])  # fmt: skip
    return render_template("supervisor/assessment.html", body=body, args=args, tab="assessment",
                           levels=assessment_ops.LEVELS, **_common(actor))  # fmt: skip


@bp.get("/report.<fmt>")
@role_required("supervisor")
def report(fmt: str) -> Response:
    """Download the monthly report (月度通报) as PDF or XLSX."""
    if fmt not in RENDERERS:
        abort(404)
    month = AssessmentQuerySchema(only=("month",)).load({"month": _this_month()} | {
        k: v for k, v in query_args().items() if k == "month"})["month"]  # fmt: skip
    body = build_report(month, fmt)
    filename = f"12345-monthly-{month}.{fmt}"
    return Response(body, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@bp.get("/warnings")
@role_required("supervisor")
def warnings():
    """List the early warnings of the supervisor's area."""
    actor = current_actor()
    items = warning_ops.in_scope(actor)
    return render_template("supervisor/warnings.html", items=items, tab="warnings",
                           **_common(actor))  # fmt: skip


@bp.post("/warnings/<int:warning_id>/acknowledge")
@role_required("supervisor")
def acknowledge(warning_id: int):
    """Mark a warning as seen."""
    warning_ops.acknowledge(warning_id, current_actor(), utcnow())
    flash(_("已确认预警。"), "success")
    return redirect("/supervisor/warnings", 303)


@bp.get("/topics")
@role_required("supervisor")
def topics():
    """List the topics of the area, with the form that opens one."""
    actor = current_actor()
    prefill = {k: v for k, v in query_args().items() if k in ("function", "org_unit", "warning_id")}
    return render_template("supervisor/topics.html", items=topic_ops.list_topics(actor),
                           prefill=prefill, functions=FUNCTIONS, tab="topics",
                           **_common(actor))  # fmt: skip


@bp.post("/topics")
@role_required("supervisor")
def open_topic():
    """Open a topic from the form."""
    data = TopicCreateSchema().load(
        _form("title", "description", "function", "org_unit", "warning_id")
    )
    topic = topic_ops.open_topic(data, current_actor(), utcnow(), settings().timezone)
    flash(_("已立项：%(title)s", title=topic.title), "success")
    return redirect(f"/supervisor/topics/{topic.id}", 303)


@bp.get("/topics/<int:topic_id>")
@role_required("supervisor")
def topic(topic_id: int):
    """Show a topic: its tasks, linked tickets and the volume before and after."""
    actor = current_actor()
    item = topic_ops.get_topic(topic_id, actor)
    volumes = topic_ops.volumes(item, utcnow())
    peak = max([w["count"] for w in volumes["weeks"]] + [1])
    return render_template("supervisor/topic.html", topic=item, volumes=volumes, peak=peak,
                           tab="topics", **_common(actor))  # fmt: skip


@bp.post("/topics/<int:topic_id>/tasks")
@role_required("supervisor")
def add_task(topic_id: int):
    """Give the topic a task."""
    topic_ops.add_task(topic_id, TaskCreateSchema().load(_form("title", "department", "due")),
                       current_actor())  # fmt: skip
    flash(_("已添加任务。"), "success")
    return redirect(f"/supervisor/topics/{topic_id}", 303)


@bp.post("/topics/<int:topic_id>/tasks/<int:task_id>/complete")
@role_required("supervisor")
def complete_task(topic_id: int, task_id: int):
    """Mark a task done."""
    note = TaskDoneSchema().load(_form("note"))["note"]
    topic_ops.complete_task(topic_id, task_id, note, current_actor(), utcnow())
    flash(_("任务已完成。"), "success")
    return redirect(f"/supervisor/topics/{topic_id}", 303)


@bp.post("/topics/<int:topic_id>/close")
@role_required("supervisor")
def close_topic(topic_id: int):
    """Close the topic with its summary."""
    summary = TopicCloseSchema().load(_form("summary"))["summary"]
    topic_ops.close_topic(topic_id, summary, current_actor(), utcnow())
    flash(_("已结项。"), "success")
    return redirect(f"/supervisor/topics/{topic_id}", 303)
