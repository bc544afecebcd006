"""``hotline demo seed --tickets N``: a realistic month of tickets, made by the real operations.

Every ticket is taken in, dispatched, signed, resolved, rated… through tickets.operations at
past moments, in time order, with the SLA sweep run as the hours pass, so warnings, red cards,
escalation levels, deadlines and timelines are what the product itself would have produced.
Ticket ``i`` carries ``source_ref = demo:<i>``: a second run with the same N adds nothing, a
larger N adds only the missing ones. Messages the demo would send are marked ``skipped``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from hotline.core.actors import RESIDENT, Actor
from hotline.core.context import settings
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.core.vocabulary import CHANNELS
from hotline.notifications.models import OutboxMessage
from hotline.org.models import Department, OrgUnit
from hotline.sla.operations import sweep
from hotline.tickets import operations
from hotline.tickets.models import Ticket
from hotline.users.models import User

# (type, function, what the resident says; {place} is the community or street).
MATTERS = [
    ("complaint", "urban_management", "{place}附近每天晚上有人占道经营，油烟和噪音很大"),
    ("complaint", "housing", "{place}旁边工地夜间施工，噪音扰民到凌晨"),
    ("help", "water", "{place}从昨天开始停水，什么时候能恢复供水"),
    ("report", "market_regulation", "举报{place}一家餐馆后厨卫生很差，食品过期"),
    ("consultation", "human_resources", "请问在{place}怎么补办社保卡，需要带什么材料"),
    ("suggestion", "transport", "建议在{place}附近增设公交站点，老人出行不便"),
    ("praise", "general", "表扬{place}社区工作人员，帮独居老人修好了楼道灯"),
    ("complaint", "traffic_police", "{place}路口经常有车辆违停，堵住了消防通道"),
    ("help", "civil_affairs", "{place}有独居老人需要帮助申请居家养老服务"),
    ("complaint", "environment", "{place}附近工厂晚上排放刺鼻气味"),
    ("consultation", "education", "孩子明年在{place}上小学，入学需要准备哪些材料"),
    ("help", "utilities", "{place}停电好几个小时了，冰箱里的东西都要坏了"),
]
# A lead that resolves before its assisting departments answered says why (协办).
PARTS_REASON = "协办单位意见已电话沟通，一并答复"
# Each plan: how old the ticket is (hours, range) and its steps: (hours after the previous
# step, who, action payload). "<other>" is another department, "<main>" an earlier ticket.
PLANS: list[tuple[str, tuple[float, float], list[tuple[float, str, dict[str, Any]]]]] = [
    ("sign_overdue", (100, 600), [(0.5, "operator", {"action": "dispatch"})]),
    ("received", (1, 30), []),
    ("answered", (30, 600), [(0.3, "operator", {"action": "answer", "reply": "{kb}"}),
                             (6, "resident", {"action": "rate", "rating": "satisfied"})]),
    ("dispatched", (1, 6), [(0.2, "operator", {"action": "dispatch"})]),
    ("in_progress", (30, 200), [(0.3, "operator", {"action": "dispatch"}),
                                (2, "agent", {"action": "sign"}),
                                (20, "supervisor", {"action": "urge", "text": "群众反映强烈，请加快办理"})]),
    ("resolve_overdue", (560, 700), [(0.3, "operator", {"action": "dispatch"}),
                                     (3, "agent", {"action": "sign"})]),
    ("returned", (10, 200), [(0.3, "operator", {"action": "dispatch"}),
                             (4, "agent", {"action": "return", "reason": "不属于本单位职责，请改派"}),
                             (2, "supervisor", {"action": "review_request", "approve": True, "reason": "同意退回改派"})]),
    ("resolved", (20, 60), [(0.3, "operator", {"action": "dispatch"}),
                            (2, "agent", {"action": "sign"}),
                            (12, "agent", {"action": "resolve", "reply": "{reply}", "parts_reason": PARTS_REASON})]),
    ("closed_rated", (150, 700), [(0.3, "operator", {"action": "dispatch"}),
                                  (3, "agent", {"action": "sign"}),
                                  (40, "agent", {"action": "resolve", "reply": "{reply}", "parts_reason": PARTS_REASON}),
                                  (8, "resident", {"action": "rate", "rating": "basically_satisfied"})]),
    ("reopened", (300, 700), [(0.3, "operator", {"action": "dispatch"}),
                              (2, "agent", {"action": "sign"}),
                              (30, "agent", {"action": "resolve", "reply": "{reply}", "parts_reason": PARTS_REASON}),
                              (5, "resident", {"action": "rate", "rating": "unsatisfied", "comment": "问题没有解决，还是老样子"}),
                              (0.01, "resident", {"action": "reopen", "reason": "问题没有解决，还是老样子"}),
                              (3, "agent", {"action": "sign"}),
                              (30, "agent", {"action": "resolve", "reply": "已再次现场处置并安排回头看。", "parts_reason": PARTS_REASON}),
                              (6, "operator", {"action": "rate", "rating": "satisfied"})]),
    ("extension", (80, 400), [(0.3, "operator", {"action": "dispatch"}),
                              (3, "agent", {"action": "sign"}),
                              (24, "agent", {"action": "request_extension", "days": 5, "reason": "需协调多个部门联合处置"}),
                              (4, "supervisor", {"action": "decide_extension", "approve": True, "reason": "同意"})]),
    ("merged", (2, 100), [(0.2, "operator", {"action": "merge", "into": "<main>"})]),
    ("unreachable", (120, 600), [(0.3, "operator", {"action": "dispatch"}),
                                 (2, "agent", {"action": "sign"}),
                                 (20, "agent", {"action": "resolve", "reply": "{reply}", "parts_reason": PARTS_REASON}),
                                 (4, "operator", {"action": "followup_call", "outcome": "not_reached"}),
                                 (5, "operator", {"action": "followup_call", "outcome": "not_reached"}),
                                 (20, "operator", {"action": "followup_call", "outcome": "not_reached"})]),
    ("transferred", (40, 300), [(0.3, "operator", {"action": "dispatch"}),
                                (3, "agent", {"action": "transfer", "department": "<other>", "reason": "属区级部门职责"}),
                                (2, "supervisor", {"action": "review_request", "approve": True, "reason": "同意转办"}),
                                (2, "agent", {"action": "sign"})]),
    ("unsatisfied_answer", (20, 300), [(0.3, "operator", {"action": "answer", "reply": "{kb}"}),
                                       (5, "resident", {"action": "rate", "rating": "unsatisfied", "comment": "答复没有解决我的问题"}),
                                       (0.01, "resident", {"action": "requeue", "reason": "答复没有解决我的问题"})]),
    ("expired", (200, 700), [(0.3, "operator", {"action": "dispatch"}),
                             (2, "agent", {"action": "sign"}),
                             (30, "agent", {"action": "resolve", "reply": "{reply}", "parts_reason": PARTS_REASON})]),
]  # fmt: skip
MERGEABLE = ("received", "returned", "dispatched", "accepted", "resolved")


@dataclass
class Planned:
    """One demo ticket to make: its index, place, matter, plan and moments."""

    index: int
    created: datetime
    community: OrgUnit
    matter: tuple[str, str, str]
    plan: str
    urgent: bool
    steps: list[tuple[datetime, str, dict[str, Any]]] = field(default_factory=list)
    number: str | None = None


def _places(city: str) -> list[list[OrgUnit]]:
    """Return, per district of the city, its communities (by code)."""
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.code.startswith(city))).all()
    districts = sorted(u.code for u in units if u.level == "district")
    communities = sorted((u for u in units if u.level == "community"), key=lambda u: u.code)
    return [[c for c in communities if c.code.startswith(d)] for d in districts]


def plan_tickets(count: int, now: datetime, city: str) -> list[Planned]:
    """Lay out ``count`` tickets over the last 30 days: every channel, district, type and plan."""
    places = [p for p in _places(city) if p]
    if not places:
        raise LookupError(f"no communities of city {city}: load it first (hotline org import)")
    planned = []
    for i in range(count):
        rng = random.Random(f"demo:{i}")
        name, (lo, hi), steps = PLANS[i % len(PLANS)]
        district = places[i % len(places)]
        urgent = name == "in_progress" and i % 3 == 0
        age = timedelta(hours=21 if urgent else rng.uniform(lo, hi))
        created = now - age
        ticket = Planned(i, created, district[rng.randrange(len(district))],
                         MATTERS[(i // len(PLANS) + i) % len(MATTERS)], name, urgent)  # fmt: skip
        moment = created
        for hours, who, payload in steps:
            moment += timedelta(hours=hours * rng.uniform(0.8, 1.2))
            ticket.steps.append((min(moment, now - timedelta(minutes=1)), who, payload))
        planned.append(ticket)
    return planned


class Cast:
    """The staff who act in the demo: demo accounts where they exist, else named stand-ins."""

    def __init__(self) -> None:
        users = {u.username: u for u in db.session.scalars(select(User))}
        self.operator = self._of(users.get("operator"), Actor(None, "话务员", "operator"))
        self.supervisor = self._of(
            users.get("supervisor_city"), Actor(None, "督办员", "supervisor", org_unit_code="5101")
        )
        self.agents = {u.department_code: Actor.of(u) for u in users.values() if u.role == "agent"}

    @staticmethod
    def _of(user: User | None, fallback: Actor) -> Actor:
        return Actor.of(user) if user is not None else fallback

    def agent(self, ticket: Ticket) -> Actor:
        code = ticket.department_code or ""
        name = ticket.department.name if ticket.department else code
        return self.agents.get(code) or Actor(None, f"{name}承办人", "agent", department_code=code)

    def who(self, role: str, ticket: Ticket) -> Actor:
        if role == "agent":
            return self.agent(ticket)
        return {"operator": self.operator, "supervisor": self.supervisor}.get(role, RESIDENT)


def _department_for(ticket: Ticket, function: str, avoid: str | None = None) -> str | None:
    """Return the department of ``function`` nearest the ticket's place (not ``avoid``)."""
    place = ticket.org_unit_code or ""
    for code in (place[:9], place[:6], place[:4]):
        dept = db.session.get(Department, f"{code}-{function}")
        if dept is not None and dept.active and dept.code != avoid:
            return dept.code
    return None


def _fill(payload: dict[str, Any], ticket: Ticket, function: str) -> dict[str, Any] | None:
    body = dict(payload)
    if body["action"] == "dispatch" and not ((ticket.routing or {}).get("department")):
        body["department"] = _department_for(ticket, function)
    if body.get("department") == "<other>":
        body["department"] = _department_for(ticket, function, avoid=ticket.department_code)
        if body["department"] is None:
            return None
    if body.get("into") == "<main>":
        main = db.session.scalar(
            select(Ticket.number)
            .where(Ticket.source_ref.like("demo:%"), Ticket.status.in_(MERGEABLE))
            .where(Ticket.id != ticket.id, Ticket.created_at < ticket.created_at)
            .order_by(Ticket.created_at.desc())
            .limit(1)
        )
        if main is None:
            return None
        body["into"] = main
    for key in ("reply",):
        if body.get(key) == "{kb}":
            body[key] = "已按政策向市民解答，并告知办理地点、材料和咨询电话。"
        elif body.get(key) == "{reply}":
            body[key] = "经现场核实，已按职责处置完毕，并向市民说明了处理结果。"
    return body


@contextmanager
def _no_job_enqueues() -> Iterator[None]:
    """Keep the seeding's (past) jobs out of Redis: the periodic sweep catches up anyway."""

    def drop(session: Session) -> None:
        session.info.pop("hotline_after_commit", None)

    event.listen(Session, "before_commit", drop)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", drop)


def seed_tickets(count: int, now: datetime | None = None) -> dict[str, int]:
    """Add the demo tickets 0..count-1 that do not exist yet; return how many were added."""
    now = now or utcnow()
    have = set(
        db.session.scalars(select(Ticket.source_ref).where(Ticket.source_ref.like("demo:%")))
    )
    todo = [p for p in plan_tickets(count, now, settings().city) if f"demo:{p.index}" not in have]
    if not todo:
        return {"added": 0, "existing": len(have)}
    cast = Cast()
    moments: list[tuple[datetime, int, int]] = [(p.created, p.index, -1) for p in todo]
    moments += [(at, p.index, n) for p in todo for n, (at, _, _) in enumerate(p.steps)]
    by_index = {p.index: p for p in todo}
    last_sweep = min(m[0] for m in moments)
    with _no_job_enqueues():
        for at, index, step in sorted(moments, key=lambda m: (m[0], m[1], m[2])):
            if at - last_sweep >= timedelta(hours=1):
                sweep(at)
                last_sweep = at
            _play(by_index[index], step, at, cast)
        sweep(now)
    ids = select(Ticket.id).where(Ticket.source_ref.like("demo:%"))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.ticket_id.in_(ids), OutboxMessage.state == "pending")
        .values(state="skipped", last_error="demo data: not sent")
    )
    db.session.commit()
    return {"added": len(todo), "existing": len(have)}


def _play(p: Planned, step: int, at: datetime, cast: Cast) -> None:
    """Take one planned ticket in (step -1) or play one of its steps at ``at``."""
    kind, function, text = p.matter
    if step < 0:
        ticket = operations.create_ticket(
            {
                "type": kind,
                "description": text.format(place=p.community.name),
                "phone": f"139{p.index % 100000000:08d}",
                "community_code": p.community.code if p.index % 4 else p.community.code[:9],
                "urgent": p.urgent,
                "address": None,
            },
            channel=CHANNELS[p.index % len(CHANNELS)],
            now=at,
            extra={"source_ref": f"demo:{p.index}"},
        )
        p.number = ticket.number
        return
    if p.number is None:
        return
    current = db.session.scalar(select(Ticket).where(Ticket.number == p.number))
    _, who, payload = p.steps[step]
    body = _fill(payload, current, function) if current is not None else None
    if current is None or body is None:
        return
    try:
        operations.apply_action(p.number, body, cast.who(who, current), now=at)
    except DomainError:
        db.session.rollback()  # a step the world refused (no merge target left…) is skipped
