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
from hotline.routing.loader import RouterHolder

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

    def propose(self, ticket: Any) -> dict[str, Any] | None:
        """Return the proposal for a ticket being taken in, or None when no org data is loaded."""
        holder = self.holder()
        if not holder.places:
            return None
        return holder.router.decide(
            text=ticket.description,
            address=ticket.address,
            type=ticket.type,
            channel=ticket.channel,
            community_code=ticket.org_unit_code,
        ).to_dict()


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
    """Install the routing service; nothing is read until the first ticket arrives."""
    app.extensions["hotline_router"] = RoutingService(app)
