"""``hotline simulate sms|call``: signed webhook requests to a running server, no Twilio needed."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from xml.dom import minidom

import click
import requests
from flask.cli import AppGroup
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from hotline.core.context import settings
from hotline.core.extensions import db
from hotline.notifications.models import OutboxMessage
from hotline.twilio.security import signing_token

simulate_cli = AppGroup("simulate", help="Play Twilio: send signed SMS and call webhooks.")
URL_HELP = "Base URL of the running server (default http://127.0.0.1:$HOTLINE_PORT)."


class Webhooks:
    """Post signed webhook forms the way Twilio does."""

    def __init__(self, url: str | None) -> None:
        token = signing_token()
        if token is None:
            raise click.ClickException(
                "TWILIO_AUTH_TOKEN is not set: the server refuses every webhook. "
                "Set it, or HOTLINE_TWILIO_DEV_MODE=1 for a local try."
            )
        self.validator = RequestValidator(token)
        self.base = (url or f"http://127.0.0.1:{settings().port}").rstrip("/")
        # The server checks the signature against HOTLINE_PUBLIC_URL when it is set.
        self.signed_base = settings().public_url or self.base
        self.http = requests.Session()

    def post(self, path: str, form: dict[str, str]) -> requests.Response:
        """POST ``form`` to ``path`` with a valid X-Twilio-Signature."""
        signature = self.validator.compute_signature(self.signed_base + path, form)
        try:
            return self.http.post(
                self.base + path, data=form, headers={"X-Twilio-Signature": signature}, timeout=15
            )
        except requests.RequestException as exc:
            raise click.ClickException(f"cannot reach {self.base}: {exc}") from None


def _show(path: str, form: dict[str, str], response: requests.Response) -> ET.Element | None:
    shown = {k: v for k, v in form.items() if k not in ("To", "AccountSid")}
    click.secho(f"→ POST {path} {shown}", fg="cyan")
    if response.status_code != 200:
        click.secho(f"← HTTP {response.status_code} {response.text[:200]}", fg="red")
        return None
    click.echo(minidom.parseString(response.content).toprettyxml(indent="  ").split("\n", 1)[1])
    return ET.fromstring(response.content)


def _last_outbox_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def _show_outbox(since: int) -> None:
    db.session.expire_all()
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
    ).all()
    click.secho(f"Outbox: {len(rows)} message(s) queued", bold=True)
    for row in rows:
        click.echo(f"  [{row.state}] {row.kind} → {row.to}: {row.body}")


@simulate_cli.command("sms")
@click.option("--from", "sender", default="+8613800000000", show_default=True)
@click.option("--url", default=None, help=URL_HELP)
@click.option("--sid", default=None, help="MessageSid (repeat one to see a retry answered alike).")
@click.argument("body")
def simulate_sms(sender: str, url: str | None, sid: str | None, body: str) -> None:
    """Text BODY to the hotline and print the reply and the outbox."""
    hooks, since = Webhooks(url), _last_outbox_id()
    form = {"MessageSid": sid or "SM" + secrets.token_hex(16), "From": sender, "To": "12345",
            "Body": body}  # fmt: skip
    _show("/twilio/sms", form, hooks.post("/twilio/sms", form))
    _show_outbox(since)


@simulate_cli.command("call")
@click.option("--from", "sender", default="+8613800000000", show_default=True)
@click.option("--url", default=None, help=URL_HELP)
@click.option("--digits", multiple=True, help="Keys pressed at each key prompt, in order.")
@click.option("--speech", multiple=True, help="What the caller says at each speech prompt.")
@click.option("--dial-status", default="completed", show_default=True,
              help="How the operator call ends (no-answer leads to a message).")  # fmt: skip
def simulate_call(
    sender: str, url: str | None, digits: tuple[str, ...], speech: tuple[str, ...], dial_status: str
) -> None:
    """Call the hotline, answering its prompts with --digits and --speech, and print it all."""
    hooks, since = Webhooks(url), _last_outbox_id()
    call = {"CallSid": "CA" + secrets.token_hex(16), "From": sender, "To": "12345"}
    keys, words = list(digits), list(speech)
    path, extra = "/twilio/voice", dict[str, str]()
    for _ in range(30):
        form = {**call, "CallStatus": "in-progress", **extra}
        root = _show(path, form, hooks.post(path, form))
        step = None if root is None else _next(root, keys, words, dial_status)
        if step is None:
            break
        path, extra = step
    form = {**call, "CallStatus": "completed", "CallDuration": "60"}
    hooks.post("/twilio/voice/status", form)
    click.secho("(call ended)", fg="yellow")
    _show_outbox(since)


def _next(
    root: ET.Element, keys: list[str], words: list[str], dial_status: str
) -> tuple[str, dict[str, str]] | None:
    """Return where Twilio would post next and with what, or None when the call ends."""
    for verb in root:
        action = verb.get("action") or ""
        if verb.tag == "Gather":
            if "speech" in (verb.get("input") or "dtmf"):
                if words:
                    return action, {"SpeechResult": words.pop(0), "Confidence": "0.92"}
            elif keys:
                return action, {"Digits": keys.pop(0)}
            click.secho("(no more input: the caller hangs up)", fg="yellow")
            return None
        if verb.tag == "Record":
            sid = "RE" + secrets.token_hex(16)
            url = f"https://api.twilio.com/2010-04-01/Recordings/{sid}"
            return action, {"RecordingUrl": url, "RecordingSid": sid, "RecordingDuration": "8"}
        if verb.tag == "Dial":
            return action, {"DialCallStatus": dial_status}
        if verb.tag == "Redirect":
            return verb.text or "/twilio/voice", {}
        if verb.tag == "Hangup":
            return None
    return None
