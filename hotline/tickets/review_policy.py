"""Decide which replies the centre reviews before the resident sees them (办结审核)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotline.core.context import settings
from hotline.core.vocabulary import TYPES
from hotline.tickets.models import Ticket

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "calendar" / "review.yaml"
MODES = ("all", "sample", "none")


class PolicyError(ValueError):
    """The review policy file says something the hotline cannot use."""


@lru_cache(maxsize=4)
def load_policy(path: Path) -> dict[str, Any]:
    """Read and check the policy file: a default mode, a sample rate, modes per type."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    default = data.get("default", "none")
    types = data.get("types") or {}
    rate = float(data.get("sample_rate", 0.2))
    for name, mode in {"default": default, **types}.items():
        if mode not in MODES:
            raise PolicyError(f"{path}: {name}: {mode!r} is not one of {', '.join(MODES)}")
    unknown = set(types) - set(TYPES)
    if unknown:
        raise PolicyError(f"{path}: unknown ticket types {sorted(unknown)}")
    if not 0 <= rate <= 1:
        raise PolicyError(f"{path}: sample_rate must lie between 0 and 1")
    return {"default": default, "types": types, "sample_rate": rate}


def mode_for(type_: str) -> str:
    """Return all, sample or none for a ticket type (the environment overrides the file)."""
    forced = settings().reply_review
    if forced:
        return forced
    policy = load_policy(settings().review_policy or DEFAULT_POLICY)
    return policy["types"].get(type_, policy["default"])


def needs_review(ticket: Ticket) -> bool:
    """Tell whether this ticket's reply goes to a reviewer first."""
    mode = mode_for(ticket.type)
    if mode != "sample":
        return mode == "all"
    rate = load_policy(settings().review_policy or DEFAULT_POLICY)["sample_rate"]
    # The ticket number picks the sample: the same reply is always in or out of it.
    digest = int(hashlib.sha256(ticket.number.encode()).hexdigest()[:8], 16)
    return digest % 1000 < rate * 1000
