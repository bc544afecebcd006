"""The process supervisor behind ./scripts/run, and the production process files."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = f"{sys.executable} -c 'import time; time.sleep(120)'"


def _pids(log: Path, name: str) -> list[int]:
    text = log.read_text() if log.exists() else ""
    return [int(p) for p in re.findall(rf"started {name} \(pid (\d+)\)", text)]


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); its state says it is gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def _start(tmp_path: Path, *programs: str, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline.supervisor", "--logs", str(tmp_path), "--quiet", *extra]
        + list(programs),
        cwd=ROOT,
    )


@pytest.mark.slow
def test_a_killed_program_is_restarted_and_only_a_signal_stops_all(tmp_path):
    sup = _start(tmp_path, f"worker={SLEEPER}", f"web={SLEEPER}")
    log = tmp_path / "supervisor.log"
    try:
        assert _wait_for(lambda: _pids(log, "worker") and _pids(log, "web"), 10)
        worker, web = _pids(log, "worker")[0], _pids(log, "web")[0]
        os.kill(worker, signal.SIGKILL)
        killed_at = time.monotonic()
        assert _wait_for(lambda: len(_pids(log, "worker")) == 2, 5)
        assert time.monotonic() - killed_at < 5
        assert "worker exited with status -9" in log.read_text()
        new_worker = _pids(log, "worker")[1]
        assert _alive(new_worker) and _alive(web) and _pids(log, "web") == [web]
        assert sup.poll() is None
    finally:
        sup.send_signal(signal.SIGINT)
        status = sup.wait(30)
    assert status == 0
    assert not _alive(new_worker) and not _alive(web)


@pytest.mark.slow
def test_a_program_that_keeps_dying_makes_the_supervisor_fail(tmp_path):
    failing = f"{sys.executable} -c 'import sys; sys.exit(3)'"
    sup = _start(tmp_path, f"web={failing}", f"worker={SLEEPER}", extra=("--give-up-after", "2"))
    status = sup.wait(30)
    assert status == 1
    text = (tmp_path / "supervisor.log").read_text()
    assert "web exited with status 3" in text and "giving up" in text
    assert not _alive(_pids(tmp_path / "supervisor.log", "worker")[0])


def _units() -> list[Path]:
    return sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def test_systemd_units_restart_every_process():
    units = {p.name: p for p in _units()}
    assert set(units) == {
        "hotline-web.service",
        "hotline-worker@.service",
        "hotline-scheduler.service",
    }
    for path in units.values():
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # systemd keys are case-sensitive
        parser.read(path)
        assert parser["Service"]["Restart"] == "always", path.name
        assert parser["Unit"]["StartLimitIntervalSec"] == "0", path.name
        assert parser["Service"]["ExecStart"].startswith("/opt/hotline/.venv/bin/"), path.name
    procfile = dict(
        line.split(": ", 1) for line in (ROOT / "deploy" / "Procfile").read_text().splitlines()
    )
    assert set(procfile) == {"web", "worker", "scheduler"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path):
    # Point ExecStart at this checkout's .venv so the binaries the units name really exist.
    venv_bin = Path(sys.executable).parent
    names = []
    for path in _units():
        text = path.read_text().replace("/opt/hotline/.venv/bin", str(venv_bin))
        (tmp_path / path.name).write_text(text)
        names.append(path.name.replace("@.", "@1."))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify exits 0 on some mistakes (an unknown key), so its output must be empty too.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
