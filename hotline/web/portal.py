"""The resident portal: write in, track a ticket, rate the result (no login)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from hotline.api.fields import Phone, Text
from hotline.api.ratelimit import rate_limited
from hotline.attachments import operations as attachments
from hotline.attachments.views import file_response
from hotline.core.actors import RESIDENT
from hotline.core.context import settings
from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.org.models import OrgUnit
from hotline.tickets import operations
from hotline.tickets.models import TYPES
from hotline.tickets.notices import EMERGENCY_NOTICE
from hotline.tickets.schemas import ResidentRateSchema, TicketCreateSchema

bp = Blueprint("web_portal", __name__)
NUMBER = validate.Regexp(r"^\d{8}-\d{6}$")
TRACKED = "tracked"  # session key: {number: phone} the visitor has proved


@bp.context_processor
def _upload_limits() -> dict[str, int]:
    return {
        "upload_max_mb": settings().upload_max_bytes // (1024 * 1024),
        "upload_max_files": settings().upload_max_files,
    }


class TrackFormSchema(Schema):
    """Number and phone: the resident's proof of ownership."""

    number = Text(required=True, validate=NUMBER)
    phone = Phone(required=True)


class RateFormSchema(Schema):
    """The rating form on the tracking page."""

    rating = fields.String(required=True)
    comment = Text(load_default=None)
    reopen = fields.Boolean(load_default=False)


def _form(*names: str) -> dict[str, str]:
    return {n: request.form.get(n, "").strip() for n in names if request.form.get(n, "").strip()}


def _districts() -> list[OrgUnit]:
    stmt = select(OrgUnit).where(OrgUnit.parent_code == settings().city).order_by(OrgUnit.code)
    return list(db.session.scalars(stmt))


def intake_payload() -> dict[str, Any]:
    """Turn the write-in form into the API's intake fields (the deepest place chosen wins)."""
    data: dict[str, Any] = _form("type", "description", "phone", "name", "address")
    for level in ("community", "township", "district"):
        if request.form.get(level):
            data["community_code"] = request.form[level]
            break
    return data


@bp.get("/")
def index():
    """Show the write-in form."""
    return render_template(
        "portal/index.html", types=TYPES, districts=_districts(), form={}, errors={}
    )


@bp.post("/")
@rate_limited("intake")
def write_in():
    """Open a ticket from the form, then show the receipt."""
    try:
        data = TicketCreateSchema().load(intake_payload())
        # Files are checked before the ticket exists: a bad one leaves nothing half done.
        files = attachments.read_uploads(request.files.getlist("attachments"), "attachments")
        ticket = operations.create_ticket(data, channel="web")
    except (ValidationError, DomainError) as error:
        messages = error.messages if isinstance(error, ValidationError) else error.fields or {}
        flash(_("请检查标红的内容。"), "error")
        page = render_template(
            "portal/index.html",
            types=TYPES,
            districts=_districts(),
            form=request.form,
            errors={"place" if k == "community_code" else k: v for k, v in messages.items()},
        )
        return page, 400
    if files:
        attachments.add_files(ticket, files, RESIDENT, "portal", public=True)
        db.session.commit()
    emergency = ticket.proposal.is_emergency
    session["receipt"] = {"number": ticket.number, "emergency": emergency}
    _remember(ticket.number, ticket.phone)
    return redirect(url_for("web_portal.receipt"), 303)


@bp.get("/submitted")
def receipt():
    """Show the number of the ticket just written in (only to the browser that wrote it)."""
    data = session.get("receipt")
    if not data:
        return redirect(url_for("web_portal.index"))
    return render_template(
        "portal/receipt.html",
        number=data["number"],
        notice=EMERGENCY_NOTICE if data.get("emergency") else None,
    )


def _remember(number: str, phone: str) -> None:
    """Remember in the session that this browser proved number + phone (a few at most)."""
    tracked = dict(list(session.get(TRACKED, {}).items())[-4:])
    tracked[number] = phone
    session[TRACKED] = tracked


@bp.get("/track")
def track_form():
    """Ask for the ticket number and phone."""
    return render_template("portal/track.html", form={"number": request.args.get("number", "")})


@bp.post("/track")
@rate_limited("track")
def track_lookup():
    """Check number + phone; on success show the ticket (the same answer for any mismatch)."""
    try:
        data = TrackFormSchema().load(_form("number", "phone"))
        ticket = operations.track(data["number"], data["phone"])
    except (ValidationError, DomainError):
        flash(_("未找到工单，请核对工单编号和手机号码。"), "error")
        return render_template("portal/track.html", form=request.form), 404
    _remember(ticket.number, ticket.phone)
    return redirect(url_for("web_portal.track_ticket", number=ticket.number), 303)


@bp.get("/track/<number>")
def track_ticket(number: str):
    """Show the public view of a ticket this browser has proved ownership of."""
    phone = session.get(TRACKED, {}).get(number)
    if phone is None:
        return redirect(url_for("web_portal.track_form", number=number[:20]))
    try:
        ticket = operations.track(number, phone)
    except DomainError:
        abort(404)
    files = attachments.of_ticket(ticket, public_only=True)
    return render_template("portal/ticket.html", ticket=ticket, files=files)


@bp.post("/track/<number>/rate")
@rate_limited("track")
def rate(number: str):
    """Record the resident's rating (and reopen when unsatisfied and asked)."""
    phone = session.get(TRACKED, {}).get(number)
    if phone is None:
        abort(404)
    form = RateFormSchema().load(_form("rating", "comment", "reopen"))
    data = ResidentRateSchema().load({"phone": phone, **form})
    operations.rate_as_resident(number, phone, data["rating"], data.get("comment"), data["reopen"])
    flash(_("感谢您的评价。"), "success")
    return redirect(url_for("web_portal.track_ticket", number=number), 303)


@bp.get("/track/<number>/attachments/<int:attachment_id>")
def resident_download(number: str, attachment_id: int):
    """Send a public file to the resident: a signed link, or a browser that proved the phone."""
    token = request.args.get("t", "")
    phone = session.get(TRACKED, {}).get(number)
    if token and attachments.check_resident_token(token, number, attachment_id):
        ticket = operations.get_ticket(number, RESIDENT)
    elif phone:
        ticket = operations.track(number, phone)
    else:
        abort(404)
    return file_response(attachments.find(ticket, attachment_id, public_only=True))
