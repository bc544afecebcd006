"""Attachment fixtures: settings changes and a local S3-compatible server."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.plugin import free_port


@pytest.fixture
def configure(app: Any) -> Iterator[Callable[..., None]]:
    """Change the app's settings for one test (restored afterwards)."""
    original = app.config["HOTLINE"]

    def change(**fields: Any) -> None:
        app.config["HOTLINE"] = dataclasses.replace(app.config["HOTLINE"], **fields)

    yield change
    app.config["HOTLINE"] = original


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local S3-compatible server (moto in server mode), as S3 lies beyond the network edge."""
    port = free_port()
    exe = shutil.which("moto_server") or f"{sys.prefix}/bin/moto_server"
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)  # noqa: S310
            break
        except Exception:
            time.sleep(0.1)
    else:
        proc.terminate()
        raise RuntimeError("moto_server did not start")
    yield url
    proc.terminate()
    proc.wait(10)
