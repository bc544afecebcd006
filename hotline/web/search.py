"""The search page of every console, the supervisors' all-tickets and 临期 lists, saved filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from hotline.api.parsing import query_args
from hotline.core.errors import FieldError
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import Department
from hotline.search.filters import ListFilterSchema, apply_filters
from hotline.search.hooks import filter_and_search
from hotline.search.models import SavedFilter
from hotline.search.query import search_condition, search_page
from hotline.sla.overdue import clock_branches
from hotline.tickets import listing, serialize
from hotline.tickets.models import CHANNELS, STATUSES, TYPES, Ticket
from hotline.tickets.scope import scope_filter
from hotline.web.auth import _safe_next, current_actor, role_required

bp = Blueprint("web_search", __name__)
STAFF = ("operator", "agent", "supervisor")
# The lists of this page: where they live, their title, the filter they fix.
VIEWS = {
    "/search": (_l("工单检索"), {}),
    "/supervisor/tickets": (_l("全部工单"), {}),
    "/supervisor/due-soon": (_l("临期工单"), {"due_soon": True}),
}
SAVED_LIMIT = 30


class SaveFilterSchema(Schema):
    """A filter to save: its name, the list it belongs to and its query string."""

    name = fields.String(required=True, validate=validate.Length(1, 60))
    path = fields.String(required=True, validate=validate.OneOf(list(VIEWS)))
    query = fields.String(load_default="", validate=validate.Length(0, 1000))


def _rows(args: dict[str, Any]) -> tuple[list[Ticket], int, bool]:
    actor = current_actor()
    if "q" not in args:
        # Filters only: the ticket list's own paths (index walks, capped or estimated totals).
        page = listing.ticket_page(actor, args, filter_and_search, clock_branches)
        return page["tickets"], page["total"], page["total_capped"]
    stmt = apply_filters(select(Ticket).where(scope_filter(actor)), args, utcnow())
    if "q" in args:
        stmt = stmt.where(search_condition(args["q"], actor))
    return search_page(stmt, args["page"], args["per_page"], args.get("q"))


def _saved(user_id: int) -> list[SavedFilter]:
    stmt = select(SavedFilter).where(SavedFilter.user_id == user_id).order_by(SavedFilter.name)
    return list(db.session.scalars(stmt))


def render_list(path: str) -> Any:
    """Render one list (search, all tickets, 临期) with the filters of the query string."""
    title, fixed = VIEWS[path]
    raw = {k: v for k, v in query_args().items() if v not in ("", None)}
    args = ListFilterSchema().load(raw)
    args.update(fixed)
    searched = path != "/search" or any(k != "page" for k in raw)
    rows, total, capped = _rows(args) if searched else ([], 0, False)
    actor = current_actor()
    query = {k: v for k, v in raw.items() if k != "page"}
    return render_template(
        "search/index.html",
        title=title,
        path=path,
        tickets=rows,
        total=total,
        capped=capped,
        searched=searched,
        args=args,
        query=query,
        query_string=urlencode(query),
        pages=max(1, (total + args["per_page"] - 1) // args["per_page"]),
        phone_for=lambda t: serialize.phone_for(actor, t),
        statuses=STATUSES,
        types=TYPES,
        channels=CHANNELS,
        functions=sorted(db.session.scalars(select(Department.function).distinct())),
        saved=_saved(actor.id or 0),
        wide=True,
    )


@bp.get("/search")
@role_required(*STAFF)
def search():
    """Search the tickets in the user's scope."""
    return render_list("/search")


@bp.get("/supervisor/tickets")
@role_required("supervisor")
def all_tickets():
    """List every ticket in the supervisor's scope (not only the overdue ones)."""
    return render_list("/supervisor/tickets")


@bp.get("/supervisor/due-soon")
@role_required("supervisor")
def due_soon():
    """List the tickets past their yellow warning and not yet overdue (临期)."""
    return render_list("/supervisor/due-soon")


@bp.post("/search/saved")
@role_required(*STAFF)
def save_filter():
    """Save the current filters under a name (the same name replaces the old one)."""
    data = SaveFilterSchema().load(
        {k: request.form.get(k, "").strip() for k in SaveFilterSchema().fields}
    )
    user_id = current_actor().id
    count = db.session.scalar(select(func.count()).where(SavedFilter.user_id == user_id))
    if (count or 0) >= SAVED_LIMIT:
        raise FieldError("name", _("最多保存 %(n)s 个筛选条件", n=SAVED_LIMIT))
    db.session.execute(
        delete(SavedFilter).where(SavedFilter.user_id == user_id, SavedFilter.name == data["name"])
    )
    db.session.add(SavedFilter(user_id=user_id, **data))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError("name", _("名称已存在")) from None
    flash(_("已保存筛选条件“%(name)s”。", name=data["name"]), "success")
    return redirect(f"{data['path']}?{data['query']}", 303)


@bp.post("/search/saved/<int:filter_id>/delete")
@role_required(*STAFF)
def delete_filter(filter_id: int):
    """Delete one of the user's saved filters."""
    row = db.session.get(SavedFilter, filter_id)
    if row is None or row.user_id != current_actor().id:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    flash(_("已删除筛选条件。"), "success")
    return redirect(_safe_next(request.form.get("back")) or "/search", 303)
