"""Resolve free Chinese address text to the deepest place of the four-level network it names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from hotline.core.vocabulary import LEVELS
from hotline.routing.automaton import Automaton, longest_non_overlapping
from hotline.routing.gazetteer import gazetteer
from hotline.routing.nfkc import nfkc

# Longest first: the first suffix that matches is stripped.
_SUFFIXES = {
    "community": (
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("村民委员会", "村"),
        ("居民委员会", "居委会"),
        ("村委会", "村"),
        ("居委会", "居委会"),
        ("社区", "社区"),
        ("村", "村"),
    ),
    "township": (
        ("街道办事处", "街道"),
        ("街道", "街道"),
        ("镇", "镇"),
        ("乡", "乡"),
    ),
    "district": (("区", "区"), ("县", "县"), ("市", "市")),
    "city": (("市", "市"),),
}
_FORMS = {
    "社区": ("社区", "社区居委会", "社区居民委员会", "居委会"),
    "居委会": ("居委会", "居民委员会", "社区"),
    "村": ("村", "村委会", "村民委员会", "村委"),
    "街道": ("街道", "街道办事处", "街道办", "街办"),
    "镇": ("镇", "镇政府", "镇人民政府"),
    "乡": ("乡", "乡政府", "乡人民政府"),
    "区": ("区",),
    "县": ("县",),
    "市": ("市",),
}
# A bare name followed by (or ending in) one of these is a street, not the unit named after it.
_ROAD_CHARS = frozenset("路街巷道号桥段弄里")
# ... and so is one followed by these (天府大道 is not 天府街道).
_ROAD_WORDS = ("大道", "大街", "广场", "公园", "立交", "大桥", "新城", "新区", "小区", "花园")


# (span, kind, candidate codes, strength): one place mention, as mentions() gives them.
Mention = tuple[str, str, list[str], str]


class PlaceLike(Protocol):
    """What the index needs from a place (hotline.org.divisions.Place)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def level(self) -> str: ...

    @property
    def parent_code(self) -> str | None: ...


@dataclass(slots=True)
class PlaceMatch:
    """The places named in a text: codes where certain, candidates where ambiguous."""

    community: str | None = None
    township: str | None = None
    district: str | None = None
    city: str | None = None
    matched: list[str] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)

    @property
    def level(self) -> str | None:
        """Return the deepest level resolved, or None."""
        # The four fields by name, deepest first (reversed(LEVELS)): asked several times a decision.
        if self.community:
            return "community"
        if self.township:
            return "township"
        if self.district:
            return "district"
        return "city" if self.city else None

    def codes(self) -> dict[str, str | None]:
        """Return the four codes as a dict keyed by level."""
        return {level: getattr(self, level) for level in reversed(LEVELS)}


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Fold full-width forms and case, drop spaces, so that variants match (cached: one decision
    normalises the same text several times)."""
    folded = nfkc(text).lower()
    # Keep one space between English words ("no water"); drop it elsewhere ("简阳 石桥镇").
    return _SPACES.sub(lambda m: " " if _ascii_gap(folded, m.start(), m.end()) else "", folded)


def renormalise(norm: str) -> str:
    """Return normalise(norm) for a text normalise() returned: itself, without the work.

    Once NFKC and lower-casing leave it alone, folding it again changes nothing: its spaces are
    the ones kept between ASCII characters, which are still there.
    """
    if unicodedata.is_normalized("NFKC", norm) and norm.lower() == norm:
        return norm
    return normalise(norm)


_SPACES = re.compile(r"\s+")


def _ascii_gap(text: str, start: int, end: int) -> bool:
    """Return True if the whitespace at text[start:end] separates two ASCII words."""
    return start > 0 and end < len(text) and text[start - 1].isascii() and text[end].isascii()


def name_variants(name: str, level: str) -> list[tuple[str, str]]:
    """Return (variant, strength) pairs: 'full' names, 'bare' stems and 'road' stems."""
    variants = [(name, "full")]
    for suffix, kind in _SUFFIXES.get(level, ()):
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            variants += [(base + form, "full") for form in _FORMS[kind]]
            # "黄鹤村村委会" is the committee of 黄鹤村: the stem itself is a full name.
            if level == "community" and base.endswith(("村", "社区")) and len(base) > 2:
                variants += name_variants(base, level)
            if base[-1] in _ROAD_CHARS:
                variants.append((base, "road"))
            elif level in ("city", "district", "township") and len(base) >= 2:
                variants.append((base, "bare"))
            break
    return list(dict.fromkeys(variants))


class AddressIndex:
    """Index every place name variant in one automaton and resolve text against it."""

    def __init__(self, places: Iterable[PlaceLike]) -> None:
        self.places: dict[str, PlaceLike] = {p.code: p for p in places}
        patterns: list[tuple[str, tuple[str, str]]] = []
        for place in self.places.values():
            for variant, strength in name_variants(place.name, place.level):
                patterns.append((normalise(variant), (place.code, strength)))
        cities = [p.code for p in self.places.values() if p.level == "city"]
        self.gazetteer = gazetteer(cities[0] if cities else "")
        self.zones = {
            name: [c for c in codes if c in self.places]
            for name, codes in self.gazetteer.zones.items()
        }
        for name in self.zones:
            patterns.append((normalise(name), (name, "zone")))
        for name, code in self.gazetteer.landmarks.items():
            if code in self.places:
                patterns.append((normalise(name), (code, "landmark")))
        self._automaton: Automaton[tuple[str, str]] = Automaton(patterns)
        # Per place, worked out once: a decision asks for levels, ancestors and paths often.
        self._level = {code: place.level for code, place in self.places.items()}
        self._up = {code: self._ancestors(code) for code in self.places}
        self._path = {code: self._walk_path(code) for code in self.places}
        # Per pattern, how its mention reads: the same every time but for a road word after it.
        # Filled as patterns are first found (a few hundred of 16,000 names are ever used);
        # two threads filling one write the same value.
        self._readings: dict[str, tuple[Mention, Mention | None]] = {}

    def _ancestors(self, code: str) -> dict[str, str]:
        """Return the place's ancestor (or itself) per level, the nearest of each level."""
        found: dict[str, str] = {}
        current: str | None = code
        seen: set[str] = set()
        while current is not None and current not in seen:
            place = self.places.get(current)
            if place is None:
                break
            seen.add(current)
            if place.level in LEVELS:
                found.setdefault(place.level, current)
            current = place.parent_code
        return found

    def ancestor(self, code: str | None, level: str) -> str | None:
        """Return the code of the place's ancestor (or itself) at the given level."""
        up = self._up.get(code) if code is not None else None
        return up.get(level) if up is not None else None

    def path(self, code: str) -> str:
        """Return the names from district down to the place, for messages."""
        known = self._path.get(code)
        return known if known is not None else self._walk_path(code)

    def _walk_path(self, code: str) -> str:
        """Return path() by walking up the parents."""
        names: list[str] = []
        current: str | None = code
        while current is not None and current in self.places:
            place = self.places[current]
            if place.level != "city":
                names.append(place.name)
            current = place.parent_code
        return "/".join(reversed(names))

    def mentions(self, text: str) -> list[tuple[str, str, list[str], str]]:
        """Return (span, kind, candidate codes, strength) per place mention, in text order.

        kind is a level, 'road' or 'zone'; strength is 'full' (with its suffix), 'bare',
        'landmark' or 'zone'.
        """
        return [(s, k, list(c), g) for s, k, c, g in self._mentions(normalise(text))]

    def _mentions(self, norm: str) -> list[tuple[str, str, list[str], str]]:
        """Return mentions() of a normalised text (the mention lists are shared: not to change)."""
        result: list[tuple[str, str, list[str], str]] = []
        readings = self._readings
        hits = self._automaton.find_grouped(norm)
        for _start, end, pattern, payloads in longest_non_overlapping(hits):
            known = readings.get(pattern)
            if known is None:
                known = readings[pattern] = self._reading(pattern, payloads)
            fixed, bare = known
            # A bare name followed by a road word is the street named after the unit.
            if bare is not None and not (
                end < len(norm) and (norm[end] in _ROAD_CHARS or norm.startswith(_ROAD_WORDS, end))
            ):
                result.append(bare)
            else:
                result.append(fixed)
        return result

    def _reading(
        self, pattern: str, payloads: list[tuple[str, str]]
    ) -> tuple[Mention, Mention | None]:
        """Return a pattern's mention, and its mention as a bare unit name where that is the
        reading unless a road word follows (then the first is the reading)."""
        zones = [code for code, strength in payloads if strength == "zone"]
        if zones:
            return (pattern, "zone", self.zones[zones[0]], "zone"), None
        full = [code for code, strength in payloads if strength == "full"]
        landmark = [code for code, strength in payloads if strength == "landmark"]
        if full or landmark:
            return self._top(pattern, full or landmark, "full" if full else "landmark"), None
        road = (pattern, "road", [c for c, _ in payloads], "road")
        bare = [c for c, s in payloads if s == "bare"]
        return road, (self._top(pattern, bare, "bare") if bare else None)

    def _top(self, pattern: str, codes: list[str], strength: str) -> Mention:
        """Return the mention of the highest level among the units a span names."""
        # One span naming units of several levels: the highest level is what people mean.
        level_of = self._level
        top = min({level_of[c] for c in codes}, key=LEVELS.index)
        return (pattern, top, sorted({c for c in codes if level_of[c] == top}), strength)

    def resolve_around(self, address: str, text: str) -> PlaceMatch | None:
        """Return resolve(f"{address}，{text}"), or None where it is no deeper than
        resolve(address, loose=True).

        It cannot be deeper when the text adds no mention to the address's and the address has
        no bare township name (the only mention a loose reading keeps differently): the same
        mentions resolve to the same place, or to nothing if another city is named.
        """
        combined = f"{address}，{text}"
        own = self._mentions(renormalise(normalise(address)))
        bare_township = any(k == "township" and s == "bare" for _, k, _, s in own)
        if not bare_township and self._mentions(renormalise(normalise(combined))) == own:
            return None
        return self.resolve(combined)

    def _evidenced(
        self, text: str, loose: bool, match: PlaceMatch
    ) -> list[tuple[str, str, list[str]]]:
        """Keep the mentions that read as places (a bare township name needs a district before)."""
        norm = normalise(text)
        mentions = self._mentions(renormalise(norm))
        if not loose:
            other, named = self.gazetteer.scan(norm)
            named = named or any(
                kind == "district" and strength == "full" for _, kind, _, strength in mentions
            )
            if other and not named:
                match.matched.append(f"about another place ({other}): no place of this city")
                return []
        kept: list[tuple[str, str, list[str]]] = []
        context: list[str] = []
        for span, kind, codes, strength in mentions:
            if kind == "zone":
                context += codes
                districts = {self.ancestor(c, "district") for c in codes}
                match.matched.append(f"{span} (functional zone: {len(codes)} townships)")
                if len(districts) == 1 and None not in districts:
                    kept.append((span, "district", [districts.pop() or ""]))
                continue
            if strength == "bare" and kind == "township" and not loose:
                inside = [c for c in codes if any(c.startswith(p) for p in context)]
                if not inside:
                    match.ambiguous.append(
                        self._entry(span, kind, codes, "a bare name without a district before it")
                    )
                    continue
                codes = inside
            if kind in ("district", "township"):
                context += codes
            kept.append((span, kind, codes))
        return kept

    def resolve(
        self, text: str | None, community_code: str | None = None, loose: bool = False
    ) -> PlaceMatch:
        """Resolve text (and an optional known community code) to a PlaceMatch.

        loose: the text is an address field, where a bare name (玉林) is a place.
        """
        match = PlaceMatch()
        known = self.places.get(community_code or "")
        if known is not None:
            # A code given by the channel (the resident's registered community) is authoritative.
            self._fill(match, known.code)
            match.matched.append(f"community code {known.code} → {self.path(known.code)}")
            return match
        by_level: dict[str, list[tuple[str, list[str]]]] = {level: [] for level in LEVELS}
        for span, kind, codes in self._evidenced(text or "", loose, match):
            if kind == "road":
                match.matched.append(f"{span} (street name, not taken as a unit)")
                match.ambiguous.append(
                    self._entry(span, "road", codes, "a street named like a unit")
                )
            else:
                by_level[kind].append((span, codes))
        context: set[str] = set()
        for level in LEVELS:
            for span, codes in by_level[level]:
                kept = self._within(codes, context)
                if not kept:
                    match.ambiguous.append(
                        self._entry(span, level, codes, "outside the place named")
                    )
                    continue
                if len(kept) == 1:
                    match.matched.append(f"{span} → {kept[0]} {self.path(kept[0])}")
                    self._fill(match, kept[0], only_deeper=True)
                    context = {kept[0]}
                    continue
                # Several units share the name: the deeper mentions may still single one out.
                deeper = self._narrow(kept, by_level, level)
                if len(deeper) == 1:
                    match.matched.append(f"{span} → {deeper[0]} {self.path(deeper[0])}")
                    self._fill(match, deeper[0], only_deeper=True)
                    context = {deeper[0]}
                    continue
                match.ambiguous.append(
                    self._entry(span, level, kept, "name shared by several units")
                )
                common = self._common_ancestor(kept)
                if common is not None:
                    self._fill(match, common, only_deeper=True)
                    context = {common}
        return match

    def _within(self, codes: list[str], context: set[str]) -> list[str]:
        """Keep the codes that lie under one of the context places (all if no context)."""
        if not context:
            return codes
        return [c for c in codes if any(c.startswith(p) for p in context)]

    def _narrow(self, codes: list[str], by_level: dict, level: str) -> list[str]:
        """Keep the codes that contain some candidate of a deeper mention."""
        deeper_codes = [
            c for lvl in LEVELS[LEVELS.index(level) + 1 :] for _, cs in by_level[lvl] for c in cs
        ]
        return [c for c in codes if any(d.startswith(c) for d in deeper_codes)]

    def _common_ancestor(self, codes: list[str]) -> str | None:
        """Return the deepest place containing every code, or None."""
        for level in ("township", "district", "city"):
            ancestors = {self.ancestor(c, level) for c in codes}
            if len(ancestors) == 1 and None not in ancestors:
                return ancestors.pop()
        return None

    def _fill(self, match: PlaceMatch, code: str, only_deeper: bool = False) -> None:
        """Set the match's codes from a place and its ancestors."""
        for level, found in self._up.get(code, {}).items():
            if not only_deeper or getattr(match, level) in (None, found):
                setattr(match, level, found)

    def _entry(self, span: str, level: str, codes: list[str], reason: str) -> dict[str, Any]:
        """Describe an unresolved mention with its candidates."""
        candidates = [{"code": c, "name": self.path(c)} for c in codes[:20]]
        return {"text": span, "level": level, "reason": reason, "candidates": candidates}
