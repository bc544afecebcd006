"""RQ jobs of the escalation queue: the periodic sweep and the per-deadline check."""

from __future__ import annotations

import logging
import os
from typing import Any

from sqlalchemy import text

from hotline.core.extensions import db
from hotline.sla import operations
from hotline.tasks.app import with_app

log = logging.getLogger(__name__)


@with_app
def sweep(batch_size: int = operations.BATCH_SIZE) -> dict[str, Any]:
    """Run one SLA sweep as of now (periodic: catches whatever the per-ticket jobs missed)."""
    result = operations.sweep(batch_size=batch_size)
    if result["acts"]:
        log.info("sla sweep: %s acts on %s tickets", len(result["acts"]), result["checked"])
    return {k: v for k, v in result.items() if k != "acts"} | {"acts": len(result["acts"])}


@with_app
def check_ticket(ticket_id: int) -> int:
    """Do what has fallen due for one ticket; safe twice and on two workers at once."""
    return len(operations.check_ticket(ticket_id))


@with_app
def connection_probe() -> dict[str, int | None]:
    """Report this process and its database connection's server pid (fork-safety check)."""
    backend = None
    if db.engine.dialect.name == "postgresql":
        backend = db.session.scalar(text("SELECT pg_backend_pid()"))
    db.session.rollback()
    return {"pid": os.getpid(), "backend_pid": backend}
