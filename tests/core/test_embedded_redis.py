"""The embedded Redis: processes starting together share one server, none is left behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotline.core.redis_server import socket_path, stop_embedded

START = "import sys; from pathlib import Path; from hotline.core.redis_server import ensure_embedded; print(ensure_embedded(Path(sys.argv[1])))"  # noqa: E501


def _servers_on(sock: Path) -> int:
    """Count the redis-server processes listening on ``sock``."""
    out = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if "redis-server" in line and str(sock) in line)


def test_workers_starting_at_once_share_one_server(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    starters = [
        subprocess.Popen([sys.executable, "-c", START, str(instance)], stdout=subprocess.PIPE)
        for _ in range(4)
    ]
    try:
        urls = {p.communicate(timeout=30)[0].decode().strip() for p in starters}
        assert urls == {f"unix://{socket_path(instance)}"}
        assert _servers_on(socket_path(instance)) == 1
    finally:
        stop_embedded(instance)
