"""``hotline worker`` and ``hotline scheduler``: the RQ processes, restarting after Redis outages."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hotline.core.extensions import redis_store
from hotline.tasks.app import set_job_app
from hotline.tasks.periodic import PERIODIC_JOBS
from hotline.tasks.queues import QUEUES

log = logging.getLogger(__name__)


def _retrying(run: Callable[[], None], what: str) -> None:
    """Run ``run`` again after a Redis outage instead of dying; Ctrl-C stops it."""
    while True:
        try:
            run()
            return
        except (RedisConnectionError, RedisTimeoutError, ConnectionError) as exc:
            click.echo(f"{what}: Redis unavailable ({exc}); retrying in 2 s", err=True)
            time.sleep(2)


@click.command("worker")
@click.option("--queues", "-q", multiple=True, default=QUEUES, show_default=True)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--with-scheduler/--no-scheduler", default=True, help="Also move scheduled jobs.")
@click.option("--simple", is_flag=True, help="Run jobs in this process (no fork).")
@with_appcontext
def worker_command(
    queues: tuple[str, ...], burst: bool, with_scheduler: bool, simple: bool
) -> None:
    """Start an RQ worker serving the hotline's queues."""
    from rq import Queue, SimpleWorker, Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    set_job_app(current_app._get_current_object())  # type: ignore[attr-defined]

    def run() -> None:
        connection = redis_store.client
        worker_class = SimpleWorker if simple else Worker
        worker = worker_class(
            [Queue(q, connection=connection) for q in queues], connection=connection
        )
        worker.work(burst=burst, with_scheduler=with_scheduler)

    _retrying(run, "worker")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run RQ's cron scheduler, enqueueing every job of tasks.periodic.PERIODIC_JOBS."""
    from rq.cron import CronScheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    interval = current_app.config["HOTLINE"].sweep_interval

    def run() -> None:
        cron = CronScheduler(connection=redis_store.client)
        for job in PERIODIC_JOBS:
            cron.register(job.resolve(), queue_name=job.queue, interval=job.interval or interval)
        cron.start()

    _retrying(run, "scheduler")
