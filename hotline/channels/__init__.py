"""Channels as plug-ins: each declares its URL prefix, CSRF exemption and sender.

A new channel (110, WeChat, e-mail) is one package with a ``channel.py`` holding a
``CHANNEL = Channel(...)`` and one line in ``hotline.blueprints.CHANNELS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, current_app

from hotline.core.config import Settings

# Paths outside any channel that carry their own proof (bearer tokens) instead of CSRF tokens.
NON_FORM_PREFIXES = ("/api/", "/healthz")


@dataclass(frozen=True)
class Channel:
    """One way residents reach the hotline (and, with a sender, the way it answers them)."""

    name: str
    # Every path of the channel starts with this (its webhooks, its API).
    url_prefix: str
    blueprint: Blueprint
    # Signed webhooks and key-checked APIs carry their own proof; HTML forms need CSRF.
    csrf_exempt: bool = True
    # send(message, settings) -> notifications.senders.SendResult, raising SendError.
    sender: Callable[[Any, Settings], Any] | None = None
    # Whether this deployment configured the sender (credentials present).
    configured: Callable[[Settings], bool] = lambda settings: False
    # The outbox kinds (prefixes) only this channel sends; empty: any kind no channel claims.
    kinds: tuple[str, ...] = ()
    # Called in the transaction that opens a ticket (any channel's), and on each new state.
    on_ticket: Callable[[Any], None] | None = None
    # Whether on_ticket would write anything for this new ticket (None: always): intake
    # commits a ticket no channel writes for in its one statement, without a transaction.
    wants_ticket: Callable[[Any], bool] | None = None
    on_status: Callable[[Any, str], None] | None = None


def install(app: Flask, channel: Channel) -> None:
    """Register ``channel``'s blueprint and remember it for CSRF and sending."""
    app.register_blueprint(channel.blueprint)
    app.extensions.setdefault("hotline_channels", []).append(channel)


def installed(app: Flask | None = None) -> list[Channel]:
    """Return the channels installed in ``app`` (default: the current app), in order."""
    return list((app or current_app).extensions.get("hotline_channels", []))


def exempt_prefixes(app: Flask | None = None) -> tuple[str, ...]:
    """Return the URL prefixes whose requests carry their own proof instead of a CSRF token."""
    own = tuple(c.url_prefix for c in installed(app) if c.csrf_exempt)
    return NON_FORM_PREFIXES + own


def sender_for(settings: Settings, kind: str = "") -> Callable[[Any, Settings], Any] | None:
    """Return the send function for an outbox message of ``kind``: the channel that claims the
    kind, else the first installed channel configured to send any kind, if any."""
    channels = [c for c in installed() if c.sender is not None and c.configured(settings)]
    for channel in channels:
        if channel.kinds and kind.startswith(channel.kinds):
            return channel.sender
    return next((c.sender for c in channels if not c.kinds), None)
