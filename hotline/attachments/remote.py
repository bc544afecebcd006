"""Fetch a photo a resident's app points at (Open311 media_url), refusing the inside network.

The URL comes from the public internet, so it must not reach this server's own network:
only http(s) to hosts whose every address is public, no redirects, a size limit, a timeout.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests


class RemoteRefused(ValueError):
    """The URL may not be fetched (scheme, private address, size, status)."""


def _public(host: str, port: int) -> bool:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


def fetch(url: str, max_bytes: int, timeout: int, allow_private: bool = False) -> bytes:
    """Return the body of ``url`` (at most ``max_bytes``), or raise RemoteRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteRefused("only http(s) URLs")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not allow_private and not _public(parts.hostname, port):
        raise RemoteRefused("the host is not on the public internet")
    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=False) as response:
            if response.status_code != 200:
                raise RemoteRefused(f"answered {response.status_code}")
            data = response.raw.read(max_bytes + 1, decode_content=True)
    except requests.RequestException as exc:
        raise RemoteRefused(str(exc)) from exc
    if len(data) > max_bytes:
        raise RemoteRefused("too large")
    return data
