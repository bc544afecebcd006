"""Read the assessment scheme: weights of the rates, deductions and the ranking threshold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PARTS = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
DEDUCTIONS = ("red_cards", "refused_returns", "replies_sent_back")
DEFAULT_FILE = Path(__file__).with_name("scheme.yaml")


class SchemeError(ValueError):
    """The scheme file says something the assessment cannot use."""


@dataclass(frozen=True)
class Scheme:
    """Weights of the parts, points per deduction, the cap and the minimum to be ranked."""

    weights: dict[str, float]
    deductions: dict[str, float]
    deduction_cap: float
    min_tickets: int

    def as_dict(self) -> dict[str, Any]:
        """Return the scheme as JSON-ready data (shown beside the scores)."""
        return {
            "weights": self.weights,
            "deductions": self.deductions,
            "deduction_cap": self.deduction_cap,
            "min_tickets": self.min_tickets,
        }


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SchemeError(f"{where}: expected a number of at least 0, got {value!r}")
    return float(value)


def load_scheme(path: Path | None = None) -> Scheme:
    """Load and check the scheme file (the shipped one when ``path`` is None)."""
    path = path or DEFAULT_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SchemeError(f"{path}: {exc}") from None
    if not isinstance(raw, dict):
        raise SchemeError(f"{path}: expected a mapping")
    weights = raw.get("weights") or {}
    deductions = raw.get("deductions") or {}
    for name, table, known in (("weights", weights, PARTS), ("deductions", deductions, DEDUCTIONS)):
        if not isinstance(table, dict):
            raise SchemeError(f"{path}: {name}: expected a mapping")
        for key in table:
            if key not in known:
                raise SchemeError(f"{path}: {name}.{key}: unknown (known: {', '.join(known)})")
    scheme = Scheme(
        weights={p: _number(weights.get(p, 0), f"{path}: weights.{p}") for p in PARTS},
        deductions={
            d: _number(deductions.get(d, 0), f"{path}: deductions.{d}") for d in DEDUCTIONS
        },
        deduction_cap=_number(raw.get("deduction_cap", 100), f"{path}: deduction_cap"),
        min_tickets=int(_number(raw.get("min_tickets", 0), f"{path}: min_tickets")),
    )
    if not any(scheme.weights.values()):
        raise SchemeError(f"{path}: weights: at least one part needs a weight above 0")
    return scheme
