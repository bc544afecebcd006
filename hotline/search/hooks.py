"""What the search and attachments packages lend the ticket API, installed by the app factory.

The ticket package must not import them (they import it), so the app puts these functions in
``app.extensions`` and the ticket views and serializers call them from there.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from hotline.core.actors import Actor
from hotline.core.timeutil import utcnow
from hotline.search.filters import apply_filters
from hotline.search.index import new_ticket_fields
from hotline.search.query import search_condition, search_page
from hotline.sla.overdue import clock_branches

EXTRA_FILTERS = ("function", "created_from", "created_to", "overdue", "due_soon")


def filter_and_search(stmt: Any, args: dict[str, Any], actor: Actor) -> tuple[Any, bool, Any]:
    """Apply the search filters and ``q`` as ``actor`` may; return the statement, q given, a pager."""
    stmt = apply_filters(stmt, {k: args[k] for k in EXTRA_FILTERS if k in args}, utcnow())
    if "q" not in args:
        return stmt, False, None
    stmt = stmt.where(search_condition(args["q"], actor))
    return stmt, True, lambda page, per_page: search_page(stmt, page, per_page, args["q"])


def attachments_json(ticket: Any, resident: bool = False) -> list[dict[str, Any]]:
    """Return a ticket's attachments as JSON (the resident's: public ones, signed links)."""
    from hotline.attachments.operations import attachment_json, of_ticket

    rows = of_ticket(ticket, public_only=resident)
    return [attachment_json(r, ticket.number, resident=resident) for r in rows]


def install(app: Flask) -> None:
    """Lend the ticket API its search and its attachments."""
    app.extensions["hotline_ticket_search"] = filter_and_search
    app.extensions["hotline_ticket_clocks"] = clock_branches
    app.extensions["hotline_search_fields"] = new_ticket_fields
    app.extensions["hotline_ticket_attachments"] = attachments_json
