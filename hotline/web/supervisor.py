"""The supervisor board: overdue list, extension requests, urge/supervise, rates and hotspots."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from hotline.api.parsing import query_args
from hotline.core.actors import Actor
from hotline.core.context import settings
from hotline.core.errors import DomainError, FieldError, Forbidden
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.org.models import LEVELS, Department, OrgUnit
from hotline.sla import export
from hotline.sla.pages import overdue_page, overdue_tally
from hotline.sla.parts_overdue import overdue_parts, paused_count
from hotline.sla.schemas import OverdueQuerySchema
from hotline.stats import board
from hotline.stats import operations as ops
from hotline.stats.figures import resolve_unit, window_of
from hotline.stats.requests import request_counts
from hotline.stats.schemas import RatesQuerySchema, RequestsQuerySchema
from hotline.tickets.models import Ticket
from hotline.tickets.operations import apply_action
from hotline.tickets.schemas import ACTION_SCHEMAS
from hotline.tickets.scope import scope_filter
from hotline.web import labels
from hotline.web.auth import _safe_next, current_actor, role_required

bp = Blueprint("web_supervisor", __name__, url_prefix="/supervisor")

BOARD_ACTIONS = ("urge", "supervise", "decide_extension")
# Departments offered by the overdue list's filter at most (else: choose a function first).
OPTIONS_LIMIT = 300
# Rows of the rates page's department table per page.
DEPARTMENTS_SHOWN = 200


def _unit(actor: Actor, code: str | None = None) -> OrgUnit:
    try:
        return resolve_unit(actor, code)
    except DomainError as error:
        abort(403 if isinstance(error, Forbidden) else 400)


def _common(actor: Actor) -> dict[str, Any]:
    unit = _unit(actor)
    return {"unit": unit, "labels": labels.TEMPLATE_LABELS, "pct": labels.percent, "wide": True}


def _options(codes: list[str], chosen: str | None) -> Markup:
    """Return the <option>s of the departments ``codes``, built here: a template loop costs more.

    A city's overdue list names thousands of departments, too many to choose from: past
    OPTIONS_LIMIT the list asks for a function first (which narrows it), keeping the choice made.
    """
    if len(codes) > OPTIONS_LIMIT:
        known = db.session.get(Department, chosen) if chosen else None
        rows = [(known.code, known.name)] if known else []
        hint = Markup('<option value="" disabled>{}</option>').format(_("请先选择职能"))
        return hint + _tags(rows, chosen)
    # Plain columns, not ORM objects.
    stmt = select(Department.code, Department.name).where(Department.code.in_(codes))
    return _tags(db.session.execute(stmt.order_by(Department.code)), chosen)


def _tags(rows: Any, chosen: str | None) -> Markup:
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            code, Markup(" selected") if code == chosen else "", name
        )
        for code, name in rows
    )


@bp.get("")
@role_required("supervisor")
def index():
    """Show the overdue tickets in scope, most overdue first, with filters."""
    actor = current_actor()
    args = OverdueQuerySchema().load(query_args())
    if "org_unit" in args:
        _unit(actor, args["org_unit"])  # a unit outside the supervisor's own is 403, as for rates
    now = utcnow()
    # One pass over the open work counts the list and names the filter's departments.
    levels, codes = overdue_tally(actor, args, now)
    items, total = overdue_page(actor, args, now, levels)
    ctx = _common(actor)
    return render_template(
        "supervisor/overdue.html",
        items=items,
        parts=overdue_parts(actor, args, now),
        paused=paused_count(actor, args),
        total=total,
        args=args,
        pages=(total + args["per_page"] - 1) // args["per_page"],
        areas=ops.children(ctx["unit"].code),
        levels=LEVELS,
        department_options=_options(codes, args.get("department")),
        query={k: v for k, v in query_args().items() if k != "page"},
        tab="overdue",
        **ctx,
    )


@bp.get("/overdue.csv")
@role_required("supervisor")
def overdue_export() -> Response:
    """Download the filtered overdue list as CSV (the SLA API's columns, for Excel)."""
    args = OverdueQuerySchema().load(query_args())
    if "org_unit" in args:
        _unit(current_actor(), args["org_unit"])
    return export.overdue_export(current_actor(), args, utcnow())


@bp.get("/extensions")
@role_required("supervisor")
def extensions():
    """List the extension requests waiting for a decision, oldest deadline first."""
    actor = current_actor()
    tickets = db.session.scalars(
        select(Ticket)
        .where(
            scope_filter(actor), Ticket.status == "accepted", Ticket.extension_request.is_not(None)
        )
        .order_by(Ticket.resolve_due, Ticket.id)
    )
    # JSON null and SQL NULL differ by backend: keep only real requests.
    pending = [t for t in tickets if t.extension_request]
    return render_template(
        "supervisor/extensions.html", tickets=pending, tab="extensions", **_common(actor)
    )


@bp.get("/requests")
@role_required("supervisor")
def requests():
    """Show per department the returns and transfers asked for, approved and refused."""
    actor = current_actor()
    args = RequestsQuerySchema().load(query_args())
    ctx = _common(actor)
    unit = _unit(actor, args["org_unit"]) if args["org_unit"] else ctx["unit"]
    w = window_of(args)
    return render_template(
        "supervisor/requests.html", rows=request_counts(actor, unit.code, w), window=w,
        bounce_limit=settings().bounce_limit, tab="requests", **ctx,
    )  # fmt: skip


@bp.post("/tickets/<number>/actions")
@role_required("supervisor")
def act(number: str):
    """Urge, supervise or decide an extension from the board, then go back."""
    form = request.form
    action = form.get("action", "")
    if action not in BOARD_ACTIONS:
        abort(400)
    payload: dict[str, Any] = {"action": action}
    if action == "decide_extension":
        payload["approve"] = form.get("approve", "")
        if form.get("reason", "").strip():
            payload["reason"] = form["reason"].strip()
    elif form.get("text", "").strip():
        payload["text"] = form["text"].strip()
    data = ACTION_SCHEMAS[action]().load(payload)
    apply_action(number, data, current_actor())
    done = {
        "urge": _("已对工单 %(number)s 催办。", number=number),
        "supervise": _("已对工单 %(number)s 督办。", number=number),
        "decide_extension": _("已批准工单 %(number)s 的延期申请。", number=number)
        if data.get("approve")
        else _("已驳回工单 %(number)s 的延期申请。", number=number),
    }[action]
    flash(done, "success")
    return redirect(_safe_next(form.get("next")) or "/supervisor", 303)


@bp.post("/bulk-urge")
@role_required("supervisor")
def bulk_urge():
    """Urge every selected overdue ticket (催办) with one text."""
    numbers = list(dict.fromkeys(request.form.getlist("numbers")))[:200]
    if not numbers:
        raise FieldError("numbers", _("请先勾选工单"))
    text = request.form.get("text", "").strip()
    payload = ACTION_SCHEMAS["urge"]().load({"action": "urge", **({"text": text} if text else {})})
    done, failed = 0, []
    for number in numbers:
        try:
            apply_action(number, payload, current_actor())
            done += 1
        except DomainError:
            db.session.rollback()
            failed.append(number)
    flash(_("已催办 %(n)s 件。", n=done), "success")
    if failed:
        flash(_("未能催办：%(numbers)s", numbers="、".join(failed)), "error")
    return redirect(_safe_next(request.form.get("next")) or "/supervisor", 303)


@bp.get("/rates")
@role_required("supervisor")
def rates():
    """Show the three rates with the daily trend, the ranking and the per-unit table."""
    actor = current_actor()
    query = query_args()
    metric = query.pop("metric", "satisfaction_rate")
    if metric not in ops.METRICS:
        abort(400)
    query.pop("by", None)
    shown = query.pop("dpage", "1")
    if not shown.isdigit() or not 1 <= int(shown) <= 10000:
        raise FieldError("dpage", _("页码无效"))
    args = RatesQuerySchema().load(query)
    unit = _unit(actor, args["org_unit"])
    w = window_of(args)
    page = board.rates_page(actor, unit, w, metric, utcnow())
    home = _unit(actor).code
    # A city has thousands of departments: the table shows them a page at a time, in ranking
    # order (the API gives them all).
    dpage, count = int(shown), len(page["departments"])
    start = (dpage - 1) * DEPARTMENTS_SHOWN
    page["departments"] = page["departments"][start : start + DEPARTMENTS_SHOWN]
    return render_template(
        "supervisor/rates.html",
        window=w,
        metric=metric,
        dpage=dpage,
        dpages=max(1, -(-count // DEPARTMENTS_SHOWN)),
        dcount=count,
        chain=[u for u in reversed(unit.chain()) if u.code.startswith(home)],
        colours=board.charts.COLOURS,
        tab="rates",
        **page,
        **(_common(actor) | {"unit": unit}),
    )


@bp.get("/hotspots")
@role_required("supervisor")
def hotspots():
    """Show the busiest communities by department function."""
    actor = current_actor()
    args = RatesQuerySchema().load({k: v for k, v in query_args().items() if k != "by"})
    unit = _unit(actor, args["org_unit"])
    w = window_of(args)
    spots = ops.hotspots(actor, unit.code, w, limit=30)
    return render_template(
        "supervisor/hotspots.html",
        spots=spots,
        window=w,
        tab="hotspots",
        **(_common(actor) | {"unit": unit}),
    )
