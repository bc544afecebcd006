"""Golden cases: what residents say and where it must go, checked against a Router."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from hotline.routing.engine import DEFAULT_ZONE, Router

CASE_KEYS = {"text", "address", "type", "channel", "community_code", "now", "expect", "note"}
EXPECT_KEYS = {"function", "level", "department", "community", "township", "district", "urgent"}
EXPECT_KEYS |= {"emergency", "rule"}


@dataclass(slots=True)
class GoldenCase:
    """One case with where it was written."""

    where: str
    text: str
    expect: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records each mapping's line as '__line__'."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_cases(golden_dir: Path | str) -> tuple[list[GoldenCase], list[str]]:
    """Read every golden file; return the cases and the mistakes found in the files."""
    cases: list[GoldenCase] = []
    errors: list[str] = []
    for path in sorted(Path(golden_dir).glob("*.y*ml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
        except yaml.YAMLError as exc:
            errors.append(f"{path}:1: YAML error: {exc}")
            continue
        for raw in data.get("cases", []):
            where = f"{path}:{raw.pop('__line__', 0)}"
            expect = raw.get("expect")
            unknown = set(raw) - CASE_KEYS
            if not isinstance(expect, dict) or "text" not in raw or unknown:
                errors.append(
                    f"{where}: a case needs text and expect (unknown keys: {sorted(unknown)})"
                )
                continue
            expect.pop("__line__", None)
            if set(expect) - EXPECT_KEYS:
                errors.append(f"{where}: unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}")
                continue
            options = {
                k: raw[k] for k in ("address", "type", "channel", "community_code") if k in raw
            }
            if "now" in raw:
                hour, minute = (int(x) for x in str(raw["now"]).split(":"))
                options["now"] = datetime(2024, 5, 15, hour, minute, tzinfo=DEFAULT_ZONE)
            cases.append(GoldenCase(where, str(raw["text"]), expect, options))
    return cases, errors


def actual_values(decision: dict[str, Any]) -> dict[str, Any]:
    """Flatten a decision dict into the keys a case can expect."""
    emergency = decision["emergency"]
    return {
        "function": decision["function"],
        "level": decision["level"],
        "department": decision["department"]["code"],
        **{k: decision["place"][k] for k in ("community", "township", "district")},
        "urgent": decision["urgent"],
        "emergency": emergency["numbers"][0] if emergency else False,
        "rule": decision["rule"],
    }


def run_case(router: Router, case: GoldenCase) -> list[str]:
    """Return the differences between a case's expectations and the router's decision."""
    decision = router.decide(case.text, **case.options).to_dict()
    actual = actual_values(decision)
    problems = []
    for key, want in case.expect.items():
        want = (
            str(want)
            if key in ("community", "township", "district", "emergency") and want
            else want
        )
        if key == "emergency" and want and decision["emergency"]:
            ok = want in decision["emergency"]["numbers"]
        else:
            ok = actual[key] == want
        if not ok:
            problems.append(f"{key}: expected {want!r}, got {actual[key]!r}")
    if problems:
        problems.append(f"rule {decision['rule']}, department {decision['department']['code']}")
    return problems
