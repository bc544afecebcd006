"""The router inside the app: built lazily from the database's org units and departments."""

from __future__ import annotations

import threading
import time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.org.divisions import Place
from hotline.org.models import Department, OrgUnit
from hotline.org.templates import DepartmentSpec
from hotline.routing import feedback
from hotline.routing.address import PlaceMatch
from hotline.routing.fallback import FallbackHolder, model_path
from hotline.routing.loader import RouterHolder
from hotline.routing.models import RoutingFeedback, RuleAutodispatch
from hotline.routing.segment import tokenizer

# Seconds between looks at whether the departments changed under the router.
ORG_CHECK_INTERVAL = 5.0


class RoutingService:
    """Propose a route for each new ticket; the rules hot-reload, the org data loads once."""

    def __init__(self, app: Flask) -> None:
        self.rules_dir = app.config["HOTLINE"].rules_dir
        self.timezone = ZoneInfo(app.config["HOTLINE"].timezone)
        self._holder: RouterHolder | None = None
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._checked = 0.0
        self.fallback = FallbackHolder(model_path(app.config["HOTLINE"].instance_path))

    def holder(self) -> RouterHolder:
        """Return the router holder, (re)building it when the org data changed."""
        now = time.monotonic()
        if self._holder is not None and now - self._checked >= ORG_CHECK_INTERVAL:
            # Another process (an admin page, `hotline org import`) may have changed the
            # departments: one cheap count tells, and the router is rebuilt only then.
            self._checked = now
            if org_stamp() != self._stamp:
                self.reset()
        if self._holder is None:
            with self._lock:
                if self._holder is None:
                    self._stamp = org_stamp()
                    places, specs = org_snapshot()
                    self._holder = RouterHolder(
                        self.rules_dir,
                        places,
                        specs,
                        timezone=self.timezone,
                    )
                    self._checked = time.monotonic()
        return self._holder

    def reset(self) -> None:
        """Forget the org data (after an import), so the next decision reloads it."""
        with self._lock:
            self._holder = None

    def emergency(self, text: str, channel: str | None = None) -> Any:
        """Return the emergency the router sees in ``text`` (falsy when none)."""
        return self.holder().router.decide(text=text, channel=channel).emergency

    def propose(self, ticket: Any, text: str | None = None) -> dict[str, Any] | None:
        """Return the proposal for a ticket (``text``: its words when more than the description).

        None when no org data is loaded.
        """
        holder = self.holder()
        if not holder.places:
            return None
        text = ticket.description if text is None else text
        proposal = holder.router.decide(
            text=text,
            address=ticket.address,
            type=ticket.type,
            channel=ticket.channel,
            community_code=ticket.org_unit_code,
        ).to_dict()
        if proposal.get("rule") is None and not proposal.get("emergency"):
            self._fall_back(holder, text, proposal)
        return proposal

    def record_intake(self, ticket_id: int, proposal: dict[str, Any], at: Any) -> None:
        """Start the new ticket's routing feedback in the intake's transaction."""
        feedback.record_intake(ticket_id, proposal, at)

    def intake_feedback(self, proposal: dict[str, Any], at: Any) -> tuple[Any, dict[str, Any]]:
        """Return the feedback table and the new ticket's row in it (for a one-statement intake)."""
        table = RoutingFeedback.__table__
        return table, feedback.intake_values(proposal, at)

    # The switches of auto-dispatch: intake reads its rule's in the statement that makes it.
    switch_table = RuleAutodispatch.__table__

    def after_intake(
        self, number: str, proposal: dict[str, Any] | None, switch: bool | None = None
    ) -> bool:
        """Let auto-dispatch send a new ticket out when its rule has earned it; say if it did.

        ``switch``: the rule's switch as intake read it (False: off, skip the look-up).
        """
        if switch is False:
            return False
        from hotline.routing.autodispatch import after_intake

        return after_intake(number, proposal)

    def _fall_back(self, holder: RouterHolder, text: str, proposal: dict[str, Any]) -> None:
        """Where no rule has evidence, let the trained model (if any) propose a function."""
        model = self.fallback.model()
        if model is None:
            return
        label, probability = model.predict(text)
        entry: dict[str, Any] = {
            "step": "fallback",
            "model": model.meta.get("version"),
            "label": label,
            "probability": round(probability, 3),
        }
        function, _, level = label.partition("@")
        if probability < model.min_probability or not level:
            entry["outcome"] = f"below {model.min_probability:.2f}: the 12345 centre"
            proposal.setdefault("trace", []).append(entry)
            return
        place = PlaceMatch(**{k: v for k, v in (proposal.get("place") or {}).items() if v})
        spec, notes = holder.directory.pick(place, function, level)
        entry.update(outcome="proposed", chosen=spec.code, notes=notes)
        proposal.setdefault("trace", []).append(entry)
        proposal.update(function=spec.function, level=spec.level, fallback=True)
        proposal["department"] = {"code": spec.code, "name": spec.name}


def org_stamp() -> tuple[int, int, int]:
    """Return (org units, active departments, all departments): changes when either changes."""
    units = select(func.count()).select_from(OrgUnit).scalar_subquery()
    row = db.session.execute(
        select(units, func.count(), func.count().filter(Department.active.is_(True))).select_from(
            Department
        )
    ).one()
    return (row[0] or 0, row[2] or 0, row[1] or 0)


def org_snapshot() -> tuple[list[Place], list[DepartmentSpec]]:
    """Read every org unit and active department as plain values the router can keep."""
    places = [
        Place(code=u.code, name=u.name, level=u.level, parent_code=u.parent_code)
        for u in db.session.execute(
            select(OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.parent_code)
        )
    ]
    specs = [
        DepartmentSpec(
            code=d.code,
            name=d.name,
            function=d.function,
            org_unit_code=d.org_unit_code,
            level=d.level,
        )
        for d in db.session.execute(
            select(
                Department.code,
                Department.name,
                Department.function,
                Department.org_unit_code,
                Department.level,
            ).where(Department.active.is_(True))
        )
    ]
    return places, specs


def init_app(app: Flask) -> None:
    """Install the routing service; the segmenter's dictionary starts loading in the background.

    Loading jieba's dictionary takes a second or more: started now, it is ready (or nearly) when
    the first ticket arrives instead of delaying that ticket's answer.
    """
    app.extensions["hotline_router"] = RoutingService(app)
    feedback.install()
    threading.Thread(target=tokenizer, name="jieba-warm-up", daemon=True).start()
