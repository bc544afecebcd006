"""The router: one pass of the automaton, a few rule checks, one department."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from hotline.core.config import DEFAULT_TIMEZONE
from hotline.routing.address import LEVELS, AddressIndex, PlaceMatch, normalise
from hotline.routing.compiler import ALL, ANY, NONE, URGENCY, CompiledRules, compile_rules
from hotline.routing.directory import Directory
from hotline.routing.rules import Rule, RuleSet

DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(slots=True)
class Decision:
    """A routing proposal with the trace that explains it."""

    place: PlaceMatch
    function: str
    level: str
    department_code: str
    department_name: str
    urgent: bool
    emergency: dict[str, Any] | None
    rule: str | None
    ruleset_version: str
    trace: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as plain JSON-ready data."""
        return {
            "place": self.place.codes(),
            "function": self.function,
            "level": self.level,
            "department": {"code": self.department_code, "name": self.department_name},
            "urgent": self.urgent,
            "emergency": self.emergency,
            "rule": self.rule,
            "ruleset_version": self.ruleset_version,
            "trace": self.trace,
        }


@dataclass(slots=True)
class _Hits:
    """The terms of one rule found in the text, by slot."""

    any: set[str] = field(default_factory=set)
    all: dict[int, set[str]] = field(default_factory=dict)
    none: set[str] = field(default_factory=set)


class Router:
    """Decide the owner of a ticket from its text, address, type, channel and time."""

    def __init__(
        self,
        ruleset: RuleSet | CompiledRules,
        address_index: AddressIndex,
        directory: Directory,
        timezone: tzinfo = DEFAULT_ZONE,
    ) -> None:
        self.compiled = ruleset if isinstance(ruleset, CompiledRules) else compile_rules(ruleset)
        self.index = address_index
        self.directory = directory
        # Time-of-day rules read the city's clock (settings.timezone).
        self.timezone = timezone

    @property
    def version(self) -> str:
        """Return the version of the rule set in use."""
        return self.compiled.version

    def locate(self, text: str, address: str | None, community_code: str | None) -> PlaceMatch:
        """Resolve the place from the address, else from the text itself."""
        place = self.index.resolve(address, community_code) if address or community_code else None
        if address and place is not None and place.level != "community" and not community_code:
            # The address gives context; the text may name a deeper unit inside it.
            both = self.index.resolve(f"{address}，{text}")
            deeper = LEVELS.index(both.level or "city") > LEVELS.index(place.level or "city")
            inside = all(getattr(both, lvl) in (None, getattr(place, lvl)) for lvl in ("district",))
            if deeper and inside and (place.district is None or both.district == place.district):
                place = both
        if place is None or place.level in (None, "city"):
            from_text = self.index.resolve(text)
            if place is None or (from_text.level not in (None, "city")):
                place = from_text
        return place

    def decide(
        self,
        text: str,
        address: str | None = None,
        type: str | None = None,  # noqa: A002 - the API's field name
        channel: str | None = None,
        community_code: str | None = None,
        now: datetime | None = None,
    ) -> Decision:
        """Return the routing decision for one ticket."""
        trace: list[dict[str, Any]] = []
        place = self.locate(text, address, community_code)
        trace.append(
            {
                "step": "place",
                "level": place.level,
                "matched": place.matched,
                "ambiguous": place.ambiguous,
            }
        )
        norm = normalise(text)
        hits: dict[int, _Hits] = {}
        urgency_words: set[str] = set()
        for _start, _end, term, (index, slot, group) in self.compiled.automaton.find(norm):
            if slot == URGENCY:
                urgency_words.add(term)
                continue
            found = hits.setdefault(index, _Hits())
            if slot == ANY:
                found.any.add(term)
            elif slot == ALL:
                found.all.setdefault(group, set()).add(term)
            elif slot == NONE:
                found.none.add(term)
        context = _Context(
            norm, place, type, channel, urgency_words, now or datetime.now(self.timezone)
        )
        matched: list[tuple[Rule, int, list[str]]] = []
        candidates = sorted(set(hits) | set(self.compiled.always))
        for index in candidates:
            rule = self.compiled.rules[index]
            found = hits.get(index, _Hits())
            if rule.has_keywords and not (found.any or found.all):
                continue  # only a 'none' word of this rule was seen
            reason, terms = context.check(rule, found)
            if reason is None:
                matched.append((rule, len(terms), terms))
            elif rule.has_keywords:
                trace.append(
                    {"step": "rule", "rule": rule.id, "outcome": "rejected", "reason": reason}
                )
        return self._conclude(place, matched, urgency_words, trace)

    def _conclude(
        self,
        place: PlaceMatch,
        matched: list[tuple[Rule, int, list[str]]],
        urgency_words: set[str],
        trace: list[dict[str, Any]],
    ) -> Decision:
        """Pick the best routing rule, apply the flags and find the department."""
        matched.sort(key=lambda m: (-m[0].priority, -m[1], m[0].order))
        routing = [m for m in matched if m[0].routes]
        winner = routing[0][0] if routing else None
        for rule, score, terms in matched:
            entry: dict[str, Any] = {"step": "rule", "rule": rule.id, "priority": rule.priority}
            entry.update({"score": score, "matched": terms})
            if rule is winner:
                entry["outcome"] = "won"
            elif not rule.routes:
                entry["outcome"] = "flag"
            else:
                entry["outcome"] = "lost"
                entry["reason"] = _lost_reason(rule, score, routing[0])
            trace.append(entry)
        urgent = any(rule.urgent for rule, _, _ in matched if rule is winner or not rule.routes)
        numbers = list(dict.fromkeys(r.emergency for r, _, _ in matched if r.emergency))
        emergency = None
        if numbers:
            rules = [r.id for r, _, _ in matched if r.emergency]
            emergency = {"numbers": numbers, "rules": rules}
            urgent = True
            trace.append(
                {
                    "step": "emergency",
                    "message": f"emergency: tell the caller to dial {'/'.join(numbers)}",
                }
            )
        if urgency_words:
            trace.append({"step": "urgency", "words": sorted(urgency_words), "urgent": urgent})
        if winner is None:
            spec = self.directory.centre()
            trace.append(
                {"step": "default", "message": f"no rule matched; the 12345 centre {spec.code}"}
            )
        elif winner.department is not None:
            spec = self.directory.get(winner.department) or self.directory.centre()
            if spec.code != winner.department:
                trace.append(
                    {
                        "step": "department",
                        "message": f"unknown department {winner.department}; the 12345 centre",
                    }
                )
        else:
            assert winner.function is not None and winner.level is not None
            spec, notes = self.directory.pick(place, winner.function, winner.level)
            wanted = f"{winner.function}@{winner.level}"
            trace.append(
                {"step": "department", "wanted": wanted, "chosen": spec.code, "fallback": notes}
            )
        return Decision(
            place=place,
            function=spec.function,
            level=spec.level,
            department_code=spec.code,
            department_name=spec.name,
            urgent=urgent,
            emergency=emergency,
            rule=winner.id if winner else None,
            ruleset_version=self.version,
            trace=trace,
        )


def _lost_reason(rule: Rule, score: int, best: tuple[Rule, int, list[str]]) -> str:
    """Explain why a matching rule did not win."""
    winner, best_score, _ = best
    if rule.priority < winner.priority:
        return f"priority {rule.priority} < {winner.priority} of {winner.id}"
    if score < best_score:
        return f"same priority, score {score} < {best_score} of {winner.id}"
    return f"same priority and score as {winner.id}, which comes first"


@dataclass(slots=True)
class _Context:
    """The facts of one ticket that the non-keyword conditions look at."""

    text: str
    place: PlaceMatch
    type: str | None
    channel: str | None
    urgency_words: set[str]
    now: datetime

    def check(self, rule: Rule, found: _Hits) -> tuple[str | None, list[str]]:
        """Return (reason it fails or None, matched terms)."""
        terms = sorted(found.any | set().union(*found.all.values()) if found.all else found.any)
        if rule.any and not found.any:
            return "none of its 'any' words", terms
        missing = [i for i in range(len(rule.all)) if i not in found.all]
        if missing:
            return f"'all' item(s) {', '.join(str(i + 1) for i in missing)} missing", terms
        if found.none:
            return f"excluded by {', '.join(sorted(found.none))}", terms
        if rule.regex:
            regex_hits = [p.pattern for p in rule.regex if p.search(self.text)]
            if not regex_hits:
                return "no regular expression matched", terms
            terms = terms + [f"/{p}/" for p in regex_hits]
        if rule.types and self.type not in rule.types:
            return f"type {self.type} not in {sorted(rule.types)}", terms
        if rule.channels and self.channel not in rule.channels:
            return f"channel {self.channel} not in {sorted(rule.channels)}", terms
        if rule.places:
            codes = [c for c in (self.place.township, self.place.district) if c]
            if not any(c == p for c in codes for p in rule.places):
                return f"place not inside {', '.join(rule.places)}", terms
        if rule.urgency is not None and bool(self.urgency_words) != rule.urgency:
            return "urgency words " + ("absent" if rule.urgency else "present"), terms
        if rule.times:
            minute = self.now.hour * 60 + self.now.minute
            inside = any(
                (s <= minute < e) if s < e else (minute >= s or minute < e) for s, e in rule.times
            )
            if not inside:
                return f"time {self.now:%H:%M} outside its hours", terms
        return None, terms
