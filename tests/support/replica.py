"""A real PostgreSQL primary and its streaming replica, started in a temp folder for the tests.

The server binaries come from /usr/lib/postgresql/*/bin; as root the clusters run as the
``postgres`` OS user (``runuser``), in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support.plugin import free_port

CONF = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{root}'
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
wal_receiver_status_interval = 1s
shared_buffers = 32MB
max_connections = 40
"""


def server_bin() -> Path | None:
    """Return the newest PostgreSQL server bin folder with initdb and pg_basebackup."""
    found = [
        Path(p)
        for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if Path(p, "initdb").exists() and Path(p, "pg_basebackup").exists()
    ]
    return found[-1] if found else None


def missing() -> str | None:
    """Say why the clusters cannot start here (None: they can)."""
    if server_bin() is None:
        return (
            "SKIPPED: the PostgreSQL server binaries (initdb, pg_basebackup) are not in"
            " /usr/lib/postgresql/*/bin: apt-get install postgresql"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "SKIPPED: running as root and there is no postgres OS user to run the clusters"
    return None


class Clusters:
    """A primary and a streaming replica on free ports, in their own temp folder."""

    def __init__(self) -> None:
        bin_dir = server_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="hotline-replica-"))
        self.primary_port, self.replica_port = free_port(), free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a server program (as postgres when we are root)."""
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def url(self, port: int, database: str = "hotline") -> str:
        """Return the SQLAlchemy URL of a database on one of the clusters."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    def start(self) -> None:
        """Create the primary, its database, and a replica streaming from it."""
        primary, replica = self.root / "primary", self.root / "replica"
        self.run("initdb", "-D", str(primary), "-U", "postgres", "-A", "trust", "--no-sync",
                 "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(CONF.format(root=self.root) + f"port = {self.primary_port}\n")
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        self.pg_ctl("primary", "start")
        admin = create_engine(self.url(self.primary_port, "postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE hotline"))
        admin.dispose()
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U",
                 "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        with (replica / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self.pg_ctl("replica", "start")
        self.wait_streaming()

    def pg_ctl(self, name: str, action: str, mode: str = "fast") -> None:
        """Start or stop one cluster and wait for it."""
        data = str(self.root / name)
        log = str(self.root / f"{name}.log")
        extra = ["-m", mode] if action == "stop" else ["-l", log]
        self.run("pg_ctl", "-D", data, "-w", "-t", "60", *extra, action)

    def on_replica(self, sql: str) -> object:
        """Run one statement on the replica, return its first value."""
        engine = create_engine(self.url(self.replica_port), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql)).scalar()
        finally:
            engine.dispose()

    def wait_streaming(self, timeout: float = 30) -> None:
        """Wait until the replica streams and has replayed everything it received."""
        deadline = time.monotonic() + timeout
        sql = ("SELECT (SELECT status FROM pg_stat_wal_receiver) = 'streaming'"
               " AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")  # fmt: skip
        while True:
            try:
                if self.on_replica(sql):
                    return
            except Exception:
                if time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not start streaming")
            time.sleep(0.1)

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        engine = create_engine(self.url(self.primary_port), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            lsn = conn.execute(text("SELECT pg_current_wal_lsn()::text")).scalar()
        engine.dispose()
        deadline = time.monotonic() + timeout
        while not self.on_replica(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"):
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop both clusters at once and forget them."""
        for name in ("replica", "primary"):
            if (self.root / name / "postmaster.pid").exists():
                self.run("pg_ctl", "-D", str(self.root / name), "-m", "immediate", "stop",
                         check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)
