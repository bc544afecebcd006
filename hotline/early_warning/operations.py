"""Watch volumes per matter and street against their own history; raise each surge once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import String, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from hotline.core.actors import Actor
from hotline.core.context import label
from hotline.core.errors import NotFound
from hotline.core.extensions import db
from hotline.early_warning.models import EarlyWarning
from hotline.notifications.operations import queue_message
from hotline.org.models import OrgUnit
from hotline.tickets.models import Ticket
from hotline.users.models import User

PLACE = func.coalesce(Ticket.org_unit_code, Ticket.scope_code, type_=String)
TOWNSHIP = func.substr(PLACE, 1, 9)
FUNCTION = Ticket.routing["function"].as_string()


@dataclass(frozen=True)
class SurgeRule:
    """How a surge is told apart from a busy hour (all configuration, see config.py)."""

    window: timedelta = timedelta(hours=1)
    weeks: int = 4  # history: the same weekday and hour over this many weeks
    factor: float = 3.0  # a surge is at least factor × the usual count …
    minimum: int = 8  # … and at least this many tickets
    cooldown: timedelta = timedelta(hours=6)  # one warning per surge: quiet this long after


def _counts(windows: list[tuple[datetime, datetime]]) -> dict[tuple[str, str], int]:
    span = or_(*(and_(Ticket.created_at >= a, Ticket.created_at < b) for a, b in windows))
    stmt = (
        select(FUNCTION, TOWNSHIP, func.count(Ticket.id))
        .where(span, func.length(PLACE) >= 9, FUNCTION.is_not(None), Ticket.status != "merged")
        .group_by(FUNCTION, TOWNSHIP)
    )
    return {(f, t): n for f, t, n in db.session.execute(stmt) if f and f != "general"}


def _bucket(now: datetime, cooldown: timedelta) -> str:
    seconds = int(cooldown.total_seconds()) or 1
    return str(int(now.timestamp()) // seconds)


def detect(now: datetime, rule: SurgeRule) -> list[EarlyWarning]:
    """Raise a warning for every matter-and-street whose last window surged; return the new ones."""
    current = _counts([(now - rule.window, now)])
    history = _counts(
        [(now - timedelta(weeks=k) - rule.window, now - timedelta(weeks=k))
         for k in range(1, rule.weeks + 1)]
    )  # fmt: skip
    raised = []
    for (function, township), count in sorted(current.items()):
        usual = history.get((function, township), 0) / rule.weeks
        if count < max(rule.minimum, math.ceil(rule.factor * usual)):
            continue
        warning = _raise(function, township, count, usual, now, rule)
        if warning is not None:
            raised.append(warning)
    return raised


def _raise(
    function: str, township: str, count: int, usual: float, now: datetime, rule: SurgeRule
) -> EarlyWarning | None:
    recent = exists().where(
        EarlyWarning.function == function,
        EarlyWarning.org_unit_code == township,
        EarlyWarning.created_at > now - rule.cooldown,
    )
    if db.session.get(OrgUnit, township) is None or db.session.scalar(select(recent)):
        return None
    warning = EarlyWarning(
        function=function, org_unit_code=township, bucket=_bucket(now, rule.cooldown),
        window_start=now - rule.window, window_end=now, count=count, baseline=round(usual, 2),
        created_at=now,
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(warning)
    except IntegrityError:
        return None  # another worker raised it a moment ago
    _tell_supervisors(warning)
    db.session.commit()
    return warning


def _tell_supervisors(warning: EarlyWarning) -> None:
    """Queue an SMS to the duty phone of every supervisor whose unit holds the street."""
    unit = db.session.get(OrgUnit, warning.org_unit_code)
    name = unit.name if unit else warning.org_unit_code
    with force_locale("zh_CN"):  # residents' and staff's SMS are Chinese
        matter = label("function", warning.function)
    body = (
        f"【12345预警】{name}近1小时{matter}类诉求{warning.count}件"
        f"（往常约{warning.baseline:g}件），请关注并提前处置。"
    )
    prefixes = {warning.org_unit_code[:n] for n in (4, 6, 9)}
    users = db.session.scalars(
        select(User).where(
            User.role == "supervisor", User.active.is_(True), User.phone.is_not(None),
            User.org_unit_code.in_(prefixes),
        )
    )  # fmt: skip
    for user in users:
        queue_message("supervisor_early_warning", user.phone, body,
                      f"surge:{warning.id}:u{user.id}")  # fmt: skip


def in_scope(actor: Actor) -> Sequence[EarlyWarning]:
    """Return the warnings of the actor's unit, newest first (the last 200)."""
    stmt = select(EarlyWarning).order_by(EarlyWarning.created_at.desc()).limit(200)
    if actor.role != "admin":
        stmt = stmt.where(
            EarlyWarning.org_unit_code.startswith(actor.org_unit_code or "-", autoescape=True)
        )
    return db.session.scalars(stmt).all()


def acknowledge(warning_id: int, actor: Actor, now: datetime) -> EarlyWarning:
    """Mark a warning as seen by a supervisor of its area."""
    warning = db.session.get(EarlyWarning, warning_id)
    unit = actor.org_unit_code or "-"
    if warning is None or (actor.role != "admin" and not warning.org_unit_code.startswith(unit)):
        raise NotFound("early warning")
    if warning.acknowledged_at is None:
        warning.acknowledged_at = now
        warning.acknowledged_by = actor.label
        db.session.commit()
    return warning
