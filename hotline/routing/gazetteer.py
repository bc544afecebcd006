"""Names beyond the division list: functional zones, landmarks, and other cities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from hotline.routing.automaton import Automaton

PATH = Path(__file__).resolve().parent / "gazetteer.yaml"
# Disguised or abbreviated names of other places: A市, K5县, B3区.
_CODED = re.compile(r"(?<![a-z0-9])[a-z]\d{0,2}[市区县州]")


@dataclass(frozen=True, slots=True, eq=False)
class Gazetteer:
    """Zones (name → township codes), landmarks (name → code) and other places' names."""

    zones: dict[str, tuple[str, ...]] = field(default_factory=dict)
    landmarks: dict[str, str] = field(default_factory=dict)
    city_names: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()

    def scan(self, text: str) -> tuple[str | None, bool]:
        """Return (the first name of another place or None, whether this city is named)."""
        found = _finder(self).find(text)
        named = any(kind == "city" for _, _, _, kind in found)
        coded = _CODED.search(text)
        if coded:
            return coded.group(), named
        other = [name for _, _, name, kind in found if kind == "elsewhere"]
        return (other[0] if other else None), named

    def elsewhere_in(self, text: str) -> str | None:
        """Return the first name of another place in a (normalised) text, or None."""
        return self.scan(text)[0]

    def names_city(self, text: str) -> bool:
        """Tell whether the text names this city itself (成都)."""
        return self.scan(text)[1]


@lru_cache(maxsize=8)
def _finder(gazetteer: Gazetteer) -> Automaton[str]:
    """Return one automaton over the names of this city and of the others."""
    names = [(n, "elsewhere") for n in gazetteer.elsewhere]
    return Automaton(names + [(n, "city") for n in gazetteer.city_names])


@lru_cache(maxsize=8)
def gazetteer(city_code: str) -> Gazetteer:
    """Return the gazetteer of a city (empty for a city without one)."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8")).get(city_code) or {}
    return Gazetteer(
        zones={k: tuple(str(c) for c in v) for k, v in (data.get("zones") or {}).items()},
        landmarks={k: str(v) for k, v in (data.get("landmarks") or {}).items()},
        city_names=tuple(data.get("city_names") or ()),
        elsewhere=tuple(str(data.get("elsewhere") or "").split()),
    )
