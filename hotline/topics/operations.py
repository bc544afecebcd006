"""Open a topic from a hotspot or a warning, give it tasks, follow its volume before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, func, or_, select

from hotline.core.actors import Actor
from hotline.core.errors import FieldError, Forbidden, NotFound
from hotline.core.extensions import db
from hotline.core.timeutil import to_local
from hotline.early_warning.models import EarlyWarning
from hotline.org.models import Department, OrgUnit
from hotline.tickets.models import Ticket
from hotline.topics.models import Topic, TopicTask

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
LINK_DAYS = 30  # tickets of the last month are linked when the topic opens
LINK_LIMIT = 500
WEEKS_BEFORE = 8
WEEKS_AFTER = 12


def _matches(topic: Topic) -> list[Any]:
    """Return the SQL conditions for tickets about the topic's matter in its area."""
    function = or_(
        Ticket.routing["function"].as_string() == topic.function,
        Ticket.department_code.in_(
            select(Department.code).where(Department.function == topic.function)
        ),
    )
    area = PLACE.startswith(topic.org_unit_code, autoescape=True)
    return [function, area, Ticket.status != "merged"]


def _check_scope(actor: Actor, org_unit: str) -> None:
    if actor.role == "admin":
        return
    if actor.role != "supervisor" or not org_unit.startswith(actor.org_unit_code or "-"):
        raise Forbidden("the topic's area is outside your unit")


def get_topic(topic_id: int, actor: Actor) -> Topic:
    """Return the topic if the actor may see it (its area's supervisors, its tasks' owners)."""
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise NotFound("topic")
    owners = {task.department_code for task in topic.tasks}
    if actor.role == "agent" and actor.department_code in owners:
        return topic
    try:
        _check_scope(actor, topic.org_unit_code)
    except Forbidden:
        raise NotFound("topic") from None
    return topic


def list_topics(actor: Actor) -> Sequence[Topic]:
    """Return the topics in the actor's scope, newest first."""
    stmt = select(Topic).order_by(Topic.opened_at.desc(), Topic.id.desc()).limit(200)
    if actor.role == "agent":
        owned = select(TopicTask.topic_id).where(TopicTask.department_code == actor.department_code)
        stmt = stmt.where(Topic.id.in_(owned))
    elif actor.role != "admin":
        stmt = stmt.where(
            Topic.org_unit_code.startswith(actor.org_unit_code or "-", autoescape=True)
        )
    return db.session.scalars(stmt).unique().all()


def open_topic(data: dict[str, Any], actor: Actor, now: datetime, tz: str) -> Topic:
    """Open a topic (from a hotspot's area and matter, or a warning) and link its recent tickets."""
    function, org_unit = data.get("function"), data.get("org_unit")
    warning = None
    if data.get("warning_id") is not None:
        warning = db.session.get(EarlyWarning, data["warning_id"])
        if warning is None:
            raise FieldError("warning_id", "no such early warning")
        function, org_unit = function or warning.function, org_unit or warning.org_unit_code
    if not function:
        raise FieldError("function", "name the matter (or the warning it comes from)")
    if not org_unit or db.session.get(OrgUnit, org_unit) is None:
        raise FieldError("org_unit", "name a known org unit (or the warning it comes from)")
    _check_scope(actor, org_unit)
    local = to_local(now, tz)
    assert local is not None
    topic = Topic(
        title=data["title"], description=data.get("description"), function=function,
        org_unit_code=org_unit, month=data.get("month") or f"{local:%Y-%m}", status="open",
        warning_id=warning.id if warning else None, created_by=actor.label, opened_at=now,
    )  # fmt: skip
    db.session.add(topic)
    recent = db.session.scalars(
        select(Ticket)
        .where(*_matches(topic), Ticket.created_at >= now - timedelta(days=LINK_DAYS))
        .order_by(Ticket.created_at.desc())
        .limit(LINK_LIMIT)
    ).unique()
    topic.tickets.extend(recent)
    db.session.commit()
    return topic


def add_task(topic_id: int, data: dict[str, Any], actor: Actor) -> TopicTask:
    """Give the topic a task owned by a department, due on a date."""
    topic = get_topic(topic_id, actor)
    _check_scope(actor, topic.org_unit_code)
    if db.session.get(Department, data["department"]) is None:
        raise FieldError("department", f"unknown department {data['department']}")
    task = TopicTask(topic=topic, title=data["title"], department_code=data["department"],
                     due=data["due"])  # fmt: skip
    db.session.add(task)
    db.session.commit()
    return task


def complete_task(
    topic_id: int, task_id: int, note: str | None, actor: Actor, now: datetime
) -> TopicTask:
    """Mark a task done (its owner department or a supervisor of the area)."""
    topic = get_topic(topic_id, actor)
    task = next((t for t in topic.tasks if t.id == task_id), None)
    if task is None:
        raise NotFound("task")
    if actor.role == "agent" and actor.department_code != task.department_code:
        raise Forbidden("only the owner department completes its task")
    if task.done_at is None:
        task.done_at, task.done_by, task.note = now, actor.label, note
        db.session.commit()
    return task


def close_topic(topic_id: int, summary: str, actor: Actor, now: datetime) -> Topic:
    """Close the topic with a summary of what was done."""
    topic = get_topic(topic_id, actor)
    _check_scope(actor, topic.org_unit_code)
    if topic.status != "closed":
        topic.status, topic.closed_at, topic.summary = "closed", now, summary
        db.session.commit()
    return topic


def volumes(topic: Topic, now: datetime) -> dict[str, Any]:
    """Count the topic's kind of tickets week by week, before it opened and since."""
    start = topic.opened_at - timedelta(weeks=WEEKS_BEFORE)
    end = min(now, topic.opened_at + timedelta(weeks=WEEKS_AFTER))
    created = db.session.scalars(
        select(Ticket.created_at).where(*_matches(topic), Ticket.created_at >= start,
                                        Ticket.created_at < end)
    ).all()  # fmt: skip
    weeks_after = max(1, -(-int((end - topic.opened_at).total_seconds()) // (7 * 86400)))
    buckets = [0] * (WEEKS_BEFORE + weeks_after)
    for at in created:
        index = int((at - start).total_seconds() // (7 * 86400))
        if 0 <= index < len(buckets):
            buckets[index] += 1
    before, after = buckets[:WEEKS_BEFORE], buckets[WEEKS_BEFORE:]
    # The week under way is not over: the weekly mean after counts the days that have passed,
    # and says nothing until a whole week has.
    days_after = (end - topic.opened_at).total_seconds() / 86400
    before_mean = sum(before) / WEEKS_BEFORE
    after_mean = sum(after) / days_after * 7 if days_after >= 7 else None
    change = None
    if before_mean and after_mean is not None:
        change = round((after_mean - before_mean) / before_mean, 4)
    weeks = [
        {"week": i - WEEKS_BEFORE, "start": (start + timedelta(weeks=i)).isoformat(), "count": n}
        for i, n in enumerate(buckets)
    ]
    return {"weeks": weeks, "before_weekly": round(before_mean, 2),
            "after_weekly": None if after_mean is None else round(after_mean, 2),
            "after_so_far": sum(after), "change": change}  # fmt: skip
