"""Keep the web server, the worker and the scheduler running; stop them all on Ctrl-C.

``python -m hotline.supervisor --logs DIR -- NAME=COMMAND ...`` starts each program with its
output in ``DIR/NAME.log``, restarts any that exits (within a second, then backing off to at
most 4 s while it keeps dying) with a line in the log, and stops everything only on SIGINT or
SIGTERM. A program that dies again and again right after starting (a port in use, a broken
install) makes the supervisor give up with a non-zero status instead of looping forever.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# A program that lived this long counts as healthy again: its restart delay starts over.
HEALTHY_AFTER = 30.0
MAX_DELAY = 4.0  # with the 0.2 s poll, a restart always comes within 5 s
# Quick deaths in a row after which the supervisor gives up.
GIVE_UP_AFTER = 8
STOP_GRACE = 15.0


@dataclass
class Program:
    """One supervised command and its restart bookkeeping."""

    name: str
    argv: list[str]
    log_path: Path
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    quick_deaths: int = 0
    restarts: int = 0
    history: list[int] = field(default_factory=list)


class Supervisor:
    """Start, watch and restart programs until told to stop."""

    def __init__(
        self,
        programs: list[Program],
        log_path: Path,
        echo: bool = True,
        give_up_after: int = GIVE_UP_AFTER,
    ) -> None:
        self.programs = programs
        self.give_up_after = give_up_after
        self.log_path = log_path
        self.echo = echo
        self.stopping = False
        self.failed: str | None = None

    def log(self, message: str) -> None:
        """Write one line to the supervisor log (and the terminal)."""
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervisor: {message}"
        with self.log_path.open("a") as fh:
            fh.write(line + "\n")
        if self.echo:
            print(line, flush=True)

    def start(self, program: Program) -> None:
        """Start ``program`` with its output appended to its log file."""
        with program.log_path.open("ab") as out:
            # A new session: Ctrl-C reaches the supervisor alone, which stops the rest in order.
            program.proc = subprocess.Popen(
                program.argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        program.started_at = time.monotonic()
        program.restart_at = None
        self.log(f"started {program.name} (pid {program.proc.pid})")

    def check(self, program: Program) -> None:
        """Notice an exit and schedule (or perform) the restart."""
        now = time.monotonic()
        if program.proc is None:
            if program.restart_at is not None and now >= program.restart_at:
                program.restarts += 1
                self.start(program)
            return
        status = program.proc.poll()
        if status is None:
            return
        program.history.append(status)
        lived = now - program.started_at
        program.quick_deaths = program.quick_deaths + 1 if lived < HEALTHY_AFTER else 0
        program.proc = None
        if program.quick_deaths >= self.give_up_after:
            self.failed = f"{program.name} keeps exiting (status {status}); giving up"
            return
        delay = min(MAX_DELAY, 0.5 * 2 ** max(0, program.quick_deaths - 1))
        program.restart_at = now + delay
        self.log(
            f"{program.name} exited with status {status} after {lived:.0f} s; "
            f"restarting in {delay:g} s"
        )

    def run(self) -> int:
        """Supervise until a signal arrives; return the exit status."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        for program in self.programs:
            self.start(program)
        while not self.stopping and self.failed is None:
            for program in self.programs:
                self.check(program)
            time.sleep(0.2)
        if self.failed:
            self.log(self.failed)
        self.stop_all()
        return 1 if self.failed else 0

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def stop_all(self) -> None:
        """Ask every program to stop, give jobs in progress time, then stop them hard."""
        running = [
            (p.name, p.proc) for p in self.programs if p.proc is not None and p.proc.poll() is None
        ]
        self.log("stopping " + ", ".join(name for name, _ in running) if running else "stopping")
        for _, proc in running:
            # The leader only: an RQ worker then lets its job in progress finish.
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while time.monotonic() < deadline and any(proc.poll() is None for _, proc in running):
            time.sleep(0.2)
        for _, proc in running:
            if proc.poll() is None:
                # The database keeps the truth; the next sweep redoes what a job left undone.
                _signal_group(proc, signal.SIGKILL)
                proc.wait()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def main(argv: list[str] | None = None) -> int:
    """Parse ``NAME=COMMAND`` pairs and supervise them."""
    parser = argparse.ArgumentParser(prog="python -m hotline.supervisor")
    parser.add_argument("--logs", type=Path, required=True, help="folder for the log files")
    parser.add_argument("--quiet", action="store_true", help="do not echo to the terminal")
    parser.add_argument(
        "--give-up-after",
        type=int,
        default=GIVE_UP_AFTER,
        help="quick deaths in a row of one program after which everything stops",
    )
    parser.add_argument("programs", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args(argv)
    args.logs.mkdir(parents=True, exist_ok=True)
    programs = []
    for spec in args.programs:
        name, sep, command = spec.partition("=")
        if not sep or not name or not command:
            parser.error(f"expected NAME=COMMAND, got {spec!r}")
        programs.append(Program(name, shlex.split(command), args.logs / f"{name}.log"))
    supervisor = Supervisor(
        programs,
        args.logs / "supervisor.log",
        echo=not args.quiet,
        give_up_after=args.give_up_after,
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
