"""Every periodic job resolves to a real job function on a known queue."""

from __future__ import annotations

from hotline.tasks.periodic import PERIODIC_JOBS
from hotline.tasks.queues import QUEUES


def test_periodic_jobs_resolve():
    assert {job.func for job in PERIODIC_JOBS} >= {
        "hotline.sla.tasks.sweep",
        "hotline.notifications.tasks.flush_outbox",
    }
    for job in PERIODIC_JOBS:
        assert job.queue in QUEUES
        assert callable(job.resolve())
