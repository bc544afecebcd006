"""Map (place, function, level) to one concrete department, falling back where none exists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from hotline.routing.address import LEVELS, PlaceMatch


class SpecLike(Protocol):
    """What the directory needs from a department (hotline.org.templates.DepartmentSpec)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def function(self) -> str: ...

    @property
    def org_unit_code(self) -> str: ...

    @property
    def level(self) -> str: ...


class Directory:
    """Find departments by org unit and function, walking up the four levels when needed."""

    def __init__(self, specs: Iterable[SpecLike], city_code: str | None = None) -> None:
        self.by_code: dict[str, SpecLike] = {}
        self.by_unit: dict[tuple[str, str], SpecLike] = {}
        for spec in specs:
            self.by_code[spec.code] = spec
            self.by_unit[(spec.org_unit_code, spec.function)] = spec
        cities = [s.org_unit_code for s in self.by_code.values() if s.level == "city"]
        self.city_code = city_code or (cities[0] if cities else "5101")

    def centre(self) -> SpecLike:
        """Return the 12345 centre (the city's general department)."""
        return self.by_unit[(self.city_code, "general")]

    def get(self, code: str) -> SpecLike | None:
        """Return the department with this code, if any."""
        return self.by_code.get(code)

    def pick(self, place: PlaceMatch, function: str, level: str) -> tuple[SpecLike, list[str]]:
        """Return the department for a function at a level of the place, and fallback notes."""
        notes: list[str] = []
        index = LEVELS.index(level)
        # An unknown unit at the requested level: use the deepest known unit above it.
        while index > 0 and not getattr(place, LEVELS[index]):
            notes.append(f"{LEVELS[index]} unknown; trying {LEVELS[index - 1]} level")
            index -= 1
        explicit = LEVELS[index] == level
        while index > 0:
            unit_level = LEVELS[index]
            unit = getattr(place, unit_level)
            spec = self.by_unit.get((unit, function))
            if spec is not None:
                return spec, notes
            general = self.by_unit.get((unit, "general"))
            upper = self.by_unit.get((getattr(place, LEVELS[index - 1]) or "", function))
            if unit_level == "community" and upper is not None:
                notes.append(
                    f"no {function} at community {unit}; the township's {upper.code} owns it"
                )
                return upper, notes
            if explicit and general is not None:
                notes.append(f"no {function} department at {unit_level} {unit}; its general office")
                return general, notes
            notes.append(f"no {function} department at {unit_level} {unit}; going up one level")
            index -= 1
        spec = self.by_unit.get((self.city_code, function))
        if spec is None:
            notes.append(f"no city {function} department; the 12345 centre")
            return self.centre(), notes
        return spec, notes
