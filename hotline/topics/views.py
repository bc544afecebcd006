"""The topics API (每月一题): open, list, show with volumes, tasks and closing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from hotline.api.parsing import json_body
from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import Forbidden
from hotline.core.timeutil import isoformat, utcnow
from hotline.topics import operations as ops
from hotline.topics.models import Topic, TopicTask
from hotline.topics.schemas import (
    TaskCreateSchema,
    TaskDoneSchema,
    TopicCloseSchema,
    TopicCreateSchema,
)
from hotline.users.tokens import current_actor

bp = Blueprint("topics_api", __name__, url_prefix="/api/v1/topics")


def _actor() -> Actor:
    actor = current_actor()
    assert actor is not None
    if actor.role not in ("supervisor", "admin", "agent"):
        raise Forbidden("topics are for supervisors and the departments on them")
    return actor


def task_json(task: TopicTask) -> dict[str, Any]:
    """Return a task as the API shows it."""
    tz = settings().timezone
    return {"id": task.id, "title": task.title,
            "department": {"code": task.department_code, "name": task.department.name},
            "due": task.due.isoformat(), "done_at": isoformat(task.done_at, tz),
            "done_by": task.done_by, "note": task.note}  # fmt: skip


def topic_json(topic: Topic, full: bool = False) -> dict[str, Any]:
    """Return a topic; ``full`` adds its tasks, tickets and volumes."""
    tz = settings().timezone
    body: dict[str, Any] = {
        "id": topic.id, "title": topic.title, "description": topic.description,
        "function": topic.function,
        "org_unit": {"code": topic.org_unit_code, "name": topic.org_unit.name},
        "month": topic.month, "status": topic.status, "warning_id": topic.warning_id,
        "created_by": topic.created_by, "opened_at": isoformat(topic.opened_at, tz),
        "closed_at": isoformat(topic.closed_at, tz), "summary": topic.summary,
        "ticket_count": len(topic.tickets),
        "tasks_done": sum(1 for t in topic.tasks if t.done_at), "tasks": len(topic.tasks),
    }  # fmt: skip
    if full:
        body["tasks"] = [task_json(t) for t in topic.tasks]
        body["tickets"] = [{"number": t.number, "status": t.status} for t in topic.tickets[:200]]
        body["volumes"] = ops.volumes(topic, utcnow())
    return body


@bp.get("")
def index():
    """List the topics in scope."""
    return jsonify({"items": [topic_json(t) for t in ops.list_topics(_actor())]})


@bp.post("")
def create():
    """Open a topic from a hotspot (function + org_unit) or an early warning."""
    data = TopicCreateSchema().load(json_body())
    topic = ops.open_topic(data, _actor(), utcnow(), settings().timezone)
    return jsonify(topic_json(topic, full=True)), 201


@bp.get("/<int:topic_id>")
def show(topic_id: int):
    """Show a topic with its tasks, linked tickets and volume before and after."""
    return jsonify(topic_json(ops.get_topic(topic_id, _actor()), full=True))


@bp.post("/<int:topic_id>/tasks")
def add_task(topic_id: int):
    """Give the topic a task owned by a department."""
    task = ops.add_task(topic_id, TaskCreateSchema().load(json_body()), _actor())
    return jsonify(task_json(task)), 201


@bp.post("/<int:topic_id>/tasks/<int:task_id>/complete")
def complete_task(topic_id: int, task_id: int):
    """Mark a task done."""
    data = TaskDoneSchema().load(json_body())
    task = ops.complete_task(topic_id, task_id, data["note"], _actor(), utcnow())
    return jsonify(task_json(task))


@bp.post("/<int:topic_id>/close")
def close(topic_id: int):
    """Close the topic with its summary."""
    data = TopicCloseSchema().load(json_body())
    topic = ops.close_topic(topic_id, data["summary"], _actor(), utcnow())
    return jsonify(topic_json(topic, full=True))
