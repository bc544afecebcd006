"""Measure the router on labelled messages: accuracy, per label, general share, false flags."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hotline.routing.engine import Router


@dataclass(slots=True)
class Miss:
    """One message the router got wrong, with what it proposed and why."""

    line: int
    label: str
    expected: list[str]
    function: str
    rule: str | None
    text: str


@dataclass(slots=True)
class Evaluation:
    """The figures of one run over a labelled file."""

    total: int = 0
    right: int = 0
    general: int = 0
    false_places: int = 0
    false_emergencies: int = 0
    per_label: Counter = field(default_factory=Counter)
    right_per_label: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    place_examples: list[tuple[int, list[str]]] = field(default_factory=list)
    emergency_examples: list[tuple[int, str]] = field(default_factory=list)

    def share(self, count: int) -> float:
        """Return count as a share of all messages."""
        return count / self.total if self.total else 0.0


class EvalInputError(ValueError):
    """A line of the file is not an object with text and expected_functions."""


def read_items(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    """Parse the JSON lines, naming the first bad line."""
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise EvalInputError(f"line {number}: not JSON ({exc})") from exc
        expected = item.get("expected_functions") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise EvalInputError(f"line {number}: expected an object with a string 'text'")
        if not isinstance(expected, list) or not all(isinstance(f, str) for f in expected):
            raise EvalInputError(f"line {number}: 'expected_functions' must be a list of codes")
        items.append((number, item))
    return items


def evaluate(router: Router, items: list[tuple[int, dict[str, Any]]]) -> Evaluation:
    """Route every message and count right answers, general, false places and emergencies."""
    result = Evaluation()
    for number, item in items:
        label = str(item.get("source_label") or "-")
        decision = router.decide(item["text"])
        result.total += 1
        result.per_label[label] += 1
        if decision.function in item["expected_functions"]:
            result.right += 1
            result.right_per_label[label] += 1
        else:
            result.misses.append(
                Miss(number, label, item["expected_functions"], decision.function,
                     decision.rule, item["text"])
            )  # fmt: skip
        if decision.function == "general":
            result.general += 1
        place = decision.place
        if place.district or place.township or place.community:
            result.false_places += 1
            result.place_examples.append((number, list(place.matched)))
        if decision.emergency:
            result.false_emergencies += 1
            result.emergency_examples.append((number, ",".join(decision.emergency["rules"])))
    return result


def report(result: Evaluation, misses: int = 0) -> list[str]:
    """Return the lines that `hotline rules eval` prints."""
    lines = [
        f"messages: {result.total}",
        f"accuracy: {result.share(result.right):.1%} ({result.right}/{result.total})",
    ]
    for label in sorted(result.per_label):
        right, count = result.right_per_label[label], result.per_label[label]
        lines.append(f"  {label}: {right / count:.1%} ({right}/{count})")
    lines += [
        f"routed to general: {result.share(result.general):.1%} ({result.general})",
        f"false places: {result.share(result.false_places):.1%} ({result.false_places})",
        f"false emergencies: {result.share(result.false_emergencies):.1%} "
        f"({result.false_emergencies})",
    ]
    if misses:
        lines.append(f"first {min(misses, len(result.misses))} misses:")
        for miss in result.misses[:misses]:
            lines.append(
                f"  line {miss.line} [{miss.label}] want {'/'.join(miss.expected)}, "
                f"got {miss.function} ({miss.rule}): {miss.text[:160]}"
            )
        for number, matched in result.place_examples[:misses]:
            lines.append(f"  line {number} place: {'; '.join(matched)}")
        for number, rules in result.emergency_examples[:misses]:
            lines.append(f"  line {number} emergency: {rules}")
    return lines
