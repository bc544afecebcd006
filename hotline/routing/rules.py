"""Load and validate routing rule files; every mistake is reported as ``file:line: message``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hotline.routing.address import normalise
from hotline.routing.schema import FileChecker, Node

URGENCY_GROUP = "urgent"
# Words that make an emergency or urgency word not happen now (万一, 曾经, 隐患).
NOT_NOW_GROUP = "not_now"
# A term starting with this matches inside longer words too (a stem, a substring).
SUBSTRING_MARK = "~"


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule: conditions (normalised terms) and an action."""

    id: str
    file: str
    line: int
    order: int
    priority: int = 50
    weight: float | None = None
    subject_only: bool = False
    description: str = ""
    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    none: tuple[str, ...] = ()
    regex: tuple[re.Pattern[str], ...] = ()
    types: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    places: tuple[str, ...] = ()
    urgency: bool | None = None
    times: tuple[tuple[int, int], ...] = ()
    function: str | None = None
    level: str | None = None
    department: str | None = None
    urgent: bool = False
    emergency: str | None = None

    @property
    def routes(self) -> bool:
        """Return True if the rule names a department (others only flag urgent/emergency)."""
        return self.function is not None or self.department is not None

    @property
    def evidence_weight(self) -> float:
        """Return the weight of one piece of evidence: given, else a tenth of the priority."""
        return self.weight if self.weight is not None else self.priority / 10

    @property
    def has_keywords(self) -> bool:
        """Return True if the rule can only match when one of its terms is in the text."""
        return bool(self.any or self.all)


@dataclass(slots=True)
class RuleSet:
    """All rules of a directory, their synonyms and the version (hash of the files)."""

    rules: list[Rule]
    synonyms: dict[str, tuple[str, ...]]
    version: str
    files: list[str] = field(default_factory=list)


class RuleSetError(ValueError):
    """The rule files have mistakes; ``errors`` lists them all as ``file:line: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def rule_files(rules_dir: Path) -> list[Path]:
    """Return the rule files of a directory (top level ``*.yaml``, golden cases excluded)."""
    return sorted(p for p in Path(rules_dir).glob("*.y*ml") if p.is_file())


def version_of(files: Iterable[Path]) -> str:
    """Return a short hash of the files' names and contents."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_ruleset(
    rules_dir: Path | str,
    place_codes: Iterable[str] | None = None,
    department_codes: Iterable[str] | None = None,
) -> RuleSet:
    """Load every rule file of a directory, raising RuleSetError with all mistakes."""
    files = rule_files(Path(rules_dir))
    errors: list[str] = []
    documents: list[tuple[str, Node]] = []
    for path in files:
        label = str(path)
        try:
            loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            errors.append(f"{label}:{line}: YAML syntax error: {exc.problem or exc}")
            continue
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            errors.append(f"{label}:1: cannot read: {exc}")
            continue
        if node is not None:
            documents.append((label, node))
    checker = FileChecker(
        places=set(place_codes) if place_codes is not None else None,
        departments=set(department_codes) if department_codes is not None else None,
    )
    # Synonyms first: rules in any file may reference groups declared in another.
    for label, node in documents:
        checker.read_synonyms(label, node)
    for label, node in documents:
        checker.read_rules(label, node)
    errors.extend(checker.errors)
    if errors:
        raise RuleSetError(errors)
    return RuleSet(
        rules=checker.rules,
        synonyms=checker.synonyms,
        version=version_of(files),
        files=[p.name for p in files],
    )


def check_rules(rules_dir: Path | str, **kwargs: Any) -> list[str]:
    """Return the list of mistakes in a rule directory (empty when it is valid)."""
    try:
        load_ruleset(rules_dir, **kwargs)
    except RuleSetError as exc:
        return exc.errors
    return []


def expand_terms(items: Iterable[str], synonyms: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Expand ``$group`` references and normalise terms for matching."""
    terms: list[str] = []
    for item in items:
        words = synonyms.get(item[1:], ()) if item.startswith("$") else (item,)
        terms.extend(normalise(word) for word in words)
    return tuple(dict.fromkeys(t for t in terms if t))
