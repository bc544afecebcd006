"""Every periodic job, in one list, run by RQ's cron scheduler (``hotline scheduler``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from hotline.tasks.queues import DEFAULT, ESCALATION, NOTIFICATIONS


@dataclass(frozen=True)
class PeriodicJob:
    """A job path, the queue it runs on and how often (seconds; None: the sweep setting)."""

    func: str
    queue: str
    interval: int | None = None

    def resolve(self) -> Callable[..., object]:
        """Import the job function."""
        module, _, name = self.func.rpartition(".")
        return getattr(importlib.import_module(module), name)


PERIODIC_JOBS: list[PeriodicJob] = [
    # Catches every deadline the per-deadline jobs missed (every HOTLINE_SWEEP_INTERVAL s).
    PeriodicJob("hotline.sla.tasks.sweep", ESCALATION),
    # Re-send outbox rows whose job was lost (Redis down, worker killed).
    PeriodicJob("hotline.notifications.tasks.flush_outbox", NOTIFICATIONS, 30),
    # Recount the daily aggregates of the days with changed tickets (the rates, figures).
    PeriodicJob("hotline.stats.tasks.refresh_rollups", DEFAULT, 60),
    # Early warnings (未诉先办): surges of one matter in one street.
    PeriodicJob("hotline.early_warning.tasks.detect_surges", DEFAULT, 300),
]
