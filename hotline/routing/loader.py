"""Hold the current Router and swap in a new one when the rule files change."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path

from hotline.routing.address import AddressIndex, PlaceLike
from hotline.routing.directory import Directory, SpecLike
from hotline.routing.engine import DEFAULT_ZONE, Router
from hotline.routing.rules import RuleSet, RuleSetError, load_ruleset, rule_files

log = logging.getLogger(__name__)
CHECK_INTERVAL = 1.0


class RouterHolder:
    """Give the current Router; reload at most once per interval when a rule file changed."""

    def __init__(
        self,
        rules_dir: Path | str,
        places: Iterable[PlaceLike],
        specs: Iterable[SpecLike],
        interval: float = CHECK_INTERVAL,
        timezone: tzinfo = DEFAULT_ZONE,
    ) -> None:
        self.timezone = timezone
        self.rules_dir = Path(rules_dir)
        self.places = list(places)
        self.specs = list(specs)
        self.interval = interval
        self.index = AddressIndex(self.places)
        self.directory = Directory(self.specs)
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._stamp = self._snapshot()
        try:
            ruleset = self._load()
        except RuleSetError as exc:
            # A server must start even with broken rules: everything goes to the 12345 centre.
            self.errors = exc.errors
            log.error("routing rules invalid, routing everything to the centre:\n%s", exc)
            ruleset = RuleSet(rules=[], synonyms={}, version="invalid")
        self._router = Router(ruleset, self.index, self.directory, self.timezone)

    def _snapshot(self) -> tuple[tuple[str, int, int], ...]:
        """Return (name, mtime, size) of every rule file: a change in any means reload."""
        stamp = []
        for path in rule_files(self.rules_dir):
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((path.name, info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def _load(self) -> RuleSet:
        """Load and validate the rule files against the known places and departments."""
        return load_ruleset(
            self.rules_dir,
            place_codes=[p.code for p in self.places],
            department_codes=[s.code for s in self.specs],
        )

    @property
    def router(self) -> Router:
        """Return the current Router, reloading first if the files changed."""
        now = time.monotonic()
        if now - self._checked >= self.interval:
            self.refresh(now)
        return self._router

    def refresh(self, now: float | None = None) -> bool:
        """Reload if the rule files changed; return True when a new rule set is in use."""
        # Non-blocking: while one thread reloads, the others keep deciding with the old rules.
        if not self._lock.acquire(blocking=False):
            return False
        try:
            self._checked = time.monotonic() if now is None else now
            stamp = self._snapshot()
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                ruleset = self._load()
            except RuleSetError as exc:
                self.errors = exc.errors
                log.error("routing rules not reloaded; keeping %s:\n%s", self._router.version, exc)
                return False
            self.errors = []
            self._router = Router(ruleset, self.index, self.directory, self.timezone)
            log.info("routing rules reloaded: version %s", ruleset.version)
            return True
        finally:
            self._lock.release()

    @property
    def version(self) -> str:
        """Return the version of the rule set in use."""
        return self._router.version
