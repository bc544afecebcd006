"""The periodic job that looks for surges (idempotent: a surge is raised once)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from hotline.core.timeutil import utcnow
from hotline.early_warning.operations import SurgeRule, detect
from hotline.tasks.app import with_app


@with_app
def detect_surges() -> int:
    """Raise the early warnings due now; return how many were new."""
    s = current_app.config["HOTLINE"]
    rule = SurgeRule(
        window=timedelta(minutes=s.surge_window_minutes), weeks=s.surge_weeks,
        factor=s.surge_factor, minimum=s.surge_minimum,
        cooldown=timedelta(hours=s.surge_cooldown_hours),
    )  # fmt: skip
    return len(detect(utcnow(), rule))
