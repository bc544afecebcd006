"""SLA jobs run by RQ workers: in-process SimpleWorker, forked work horses and their connections."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import text

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.tasks.queues import ESCALATION
from tests.support.sla import COMMUNITY_DEPT, act, make_due, sla_events, ticket


def test_dispatch_schedules_a_check_and_worker_red_cards(app, client, new_ticket, staff, redis_url):
    operator = staff("operator")
    number = new_ticket()
    act(client, number, operator, action="dispatch", department=COMMUNITY_DEPT)
    connection = Redis.from_url(redis_url)
    queue = Queue(ESCALATION, connection=connection)
    scheduled = ScheduledJobRegistry(queue=queue)
    jobs = [queue.fetch_job(i) for i in scheduled.get_job_ids()]
    with app.app_context():
        t = ticket(number)
        ticket_id = t.id
        # One sweep job per second that has a deadline in it, at the warning moment (80%).
        assert [(j.func_name, j.args) for j in jobs] == [("hotline.sla.tasks.sweep", ())]
        fires = scheduled.get_scheduled_time(jobs[0]).replace(tzinfo=None)
        assert timedelta(0) <= fires - t.sla_next_at < timedelta(seconds=1)
        make_due([ticket_id], utcnow() - timedelta(seconds=1))
    queue.enqueue("hotline.sla.tasks.check_ticket", ticket_id)
    queue.enqueue("hotline.sla.tasks.check_ticket", ticket_id)  # twice: the second does nothing
    queue.enqueue("hotline.sla.tasks.sweep")
    SimpleWorker([queue], connection=connection).work(burst=True)
    with app.app_context():
        assert sla_events(number) == [("overdue", "sign", "township")]
        # The red card scheduled the next level's check.
        assert len(ScheduledJobRegistry(queue=queue).get_job_ids()) >= 1


@pytest.mark.slow
def test_forked_horses_get_their_own_connections(app, redis_url):
    connection = Redis.from_url(redis_url)
    queue = Queue(ESCALATION, connection=connection)
    postgres = app.config["HOTLINE"].database_url.startswith("postgresql")
    probe = text("SELECT pg_backend_pid()" if postgres else "SELECT 1")
    with app.app_context():
        engine = db.engine
    # The parent holds a pooled connection, checked out, across the forks.
    with engine.connect() as conn:
        parent = conn.execute(probe).scalar()
        jobs = [queue.enqueue("hotline.sla.tasks.connection_probe") for _ in range(2)]
        Worker([queue], connection=connection).work(burst=True)
        results = [j.latest_result().return_value for j in jobs]
        assert all(r["pid"] != os.getpid() for r in results)  # really forked
        if postgres:
            assert parent not in {r["backend_pid"] for r in results}
        # The children never spoke on the parent's socket: it still answers as itself.
        assert conn.execute(probe).scalar() == parent
