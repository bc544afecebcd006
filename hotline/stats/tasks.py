"""RQ job of the statistics: keep the daily aggregates up to date."""

from __future__ import annotations

from hotline.stats import rollup
from hotline.tasks.app import with_app


@with_app
def refresh_rollups() -> int:
    """Recount the days changed since the last run (idempotent; one run at a time)."""
    return rollup.refresh()
