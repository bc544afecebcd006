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


def sender_for(settings: Settings) -> Callable[[Any, Settings], Any] | None:
    """Return the send function of the first installed channel configured to send, if any."""
    for channel in installed():
        if channel.sender is not None and channel.configured(settings):
            return channel.sender
    return None
