"""Attachment fixtures: images with GPS in their EXIF, settings changes, a local S3 server."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import free_port
from tests.web.conftest import nocsrf, signin  # noqa: F401  (fixtures)


def jpeg_with_gps(color: str = "red") -> bytes:
    """Return a small JPEG whose EXIF carries a GPS position (personal data to strip)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 39.0, 1.0)
    gps[3], gps[4] = "E", (104.0, 3.0, 2.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "PNG")
    return out.getvalue()


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
