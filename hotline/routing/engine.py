"""The router: weigh every rule's evidence, pick the best-supported owner, find its department."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from hotline.core.config import DEFAULT_TIMEZONE
from hotline.routing.address import LEVELS, AddressIndex, PlaceMatch, normalise
from hotline.routing.compiler import CompiledRules, compile_rules
from hotline.routing.conditions import check
from hotline.routing.directory import Directory
from hotline.routing.evidence import read
from hotline.routing.rules import Rule, RuleSet
from hotline.routing.segment import add_words
from hotline.routing.weighing import (
    Evidence,
    RuleFacts,
    combine,
    combine_one,
    lost_reason,
    minus_abs_score,
    minus_score,
    weigh,
)

DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)
# A second matter is proposed for an assisting department when its evidence is this close.
ASSIST_SHARE = 0.45


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
    confidence: float = 0.0
    # Departments proposed to assist (协办): evidence as strong for another function.
    assisting: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as plain JSON-ready data."""
        extra = {"assisting": self.assisting} if self.assisting else {}
        return extra | {
            "place": self.place.codes(),
            "function": self.function,
            "level": self.level,
            "department": {"code": self.department_code, "name": self.department_name},
            "urgent": self.urgent,
            "emergency": self.emergency,
            "rule": self.rule,
            "confidence": self.confidence,
            "ruleset_version": self.ruleset_version,
            "trace": self.trace,
        }


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
        add_words(self.compiled.words)
        self.always = frozenset(self.compiled.always)
        # Per rule, what every decision would otherwise work out again from it.
        self._facts = [RuleFacts.of(rule) for rule in self.compiled.rules]
        # Time-of-day rules read the city's clock (settings.timezone).
        self.timezone = timezone

    @property
    def version(self) -> str:
        """Return the version of the rule set in use."""
        return self.compiled.version

    def locate(self, text: str, address: str | None, community_code: str | None) -> PlaceMatch:
        """Resolve the place from the address, else from the text itself."""
        place = (
            self.index.resolve(address, community_code, loose=True)
            if address or community_code
            else None
        )
        if address and place is not None and place.level != "community" and not community_code:
            # The address gives context; the text may name a deeper unit inside it.
            both = self.index.resolve_around(address, text)
            if both is not None:
                deeper = LEVELS.index(both.level or "city") > LEVELS.index(place.level or "city")
                if deeper and (place.district is None or both.district == place.district):
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
        subject: str | None = None,
    ) -> Decision:
        """Return the routing decision for one ticket; subject: an Open311 service, a title."""
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
        reading = read(self.compiled, normalise(text), normalise(subject) if subject else None)
        if reading.split:
            trace.append({"step": "words", "inside_other_words": reading.split})
        now = now or datetime.now(self.timezone)
        urgency = (
            sorted(t for t, starts in reading.urgency.items() if any(map(reading.said_now, starts)))
            if reading.urgency
            else []
        )
        urgent_words = bool(urgency)
        evidence: list[Evidence] = []
        facts, hits = self._facts, reading.hits
        for index in sorted(hits.keys() | self.always):
            fact = facts[index]
            rule = fact.rule
            found = hits.get(index)
            if fact.keywords:
                if found is None or not (found.any or found.all):
                    continue  # only a 'none' word of this rule was seen
            elif (rule.types and type not in rule.types) or (
                rule.urgency is not None and urgent_words != rule.urgency
            ):
                continue  # check() would refuse it, and a rule without words leaves no trace
            if fact.plain and found is not None and not found.none:
                # Its 'any' words are there and nothing else is asked: check() would pass, and
                # terms() would copy found.any, which nothing changes from here on.
                terms, reason = found.any, None
            else:
                terms = found.terms() if found else {}
                reason = check(rule, found, reading, place, type, channel, urgent_words, now)
            if reason is None and fact.owner is None:
                # An emergency or urgency is what happens now, not 万一 / 曾经 / 隐患 / a letter.
                terms = {t: [p for p in s if reading.said_now(p)] for t, s in terms.items()}
                terms = {t: s for t, s in terms.items() if s}
                if rule.has_keywords and not terms:
                    reason = "not happening now (past, hypothetical, a hazard, or in a letter)"
            if (
                reason is None
                and rule.subject_only
                and not any(min(s) < reading.subject_end for s in terms.values())
            ):
                reason = "only in the body, not the subject"
            if reason is not None:
                if fact.keywords:
                    trace.append(
                        {"step": "rule", "rule": rule.id, "outcome": "rejected", "reason": reason}
                    )
                continue
            evidence.append(weigh(fact, terms, reading))
        return self._conclude(place, evidence, urgency, trace)

    def _assisting(
        self,
        place: PlaceMatch,
        ranked: list[tuple[float, str]],
        best: dict[str, Evidence],
        lead: str,
        trace: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Propose assisting departments (协办) where the evidence points almost as strongly to a
        second matter told in other words (污水横流 and 垃圾堆积: two departments' work)."""
        if len(ranked) < 2:
            return []
        top_score, top_key = ranked[0]
        top = best[top_key]
        found: dict[str, dict[str, Any]] = {}
        for score, key in ranked[1:3]:
            rule = best[key].rule
            if (
                score < top_score * ASSIST_SHARE
                or set(best[key].terms) & set(top.terms)
                or not rule.function
                or not rule.level
                or rule.function == top.rule.function
            ):
                continue
            spec, _notes = self.directory.pick(place, rule.function, rule.level)
            if spec.code != lead and spec.code not in found:
                found[spec.code] = {"code": spec.code, "name": spec.name, "rule": rule.id}
                trace.append({"step": "assist", "rule": rule.id, "chosen": spec.code})
        return list(found.values())

    def _conclude(
        self,
        place: PlaceMatch,
        evidence: list[Evidence],
        urgency_words: list[str],
        trace: list[dict[str, Any]],
    ) -> Decision:
        """Sum the evidence per owner, apply the flags and find the department."""
        by_owner: dict[str, list[Evidence]] = {}
        for item in evidence:
            if item.owner is not None:
                by_owner.setdefault(item.owner, []).append(item)
        totals: dict[str, float] = {}
        best: dict[str, Evidence] = {}
        for key, items in by_owner.items():
            # Strongest first; a stable sort keeps the first of equals first, as max() would.
            ordered = sorted(items, key=minus_score) if len(items) > 1 else items
            totals[key] = combine(ordered) if len(ordered) > 1 else combine_one(ordered[0])
            if ordered[0].score > 0:
                best[key] = ordered[0]
        ranked = sorted(
            ((score, key) for key, score in totals.items() if score > 0 and key in best),
            reverse=True,
        )
        winner = best[ranked[0][1]].rule if ranked else None
        confidence = 0.0
        if ranked:
            runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
            confidence = round((ranked[0][0] - runner_up) / ranked[0][0], 3)
            trace.append(
                {
                    "step": "scores",
                    "scores": {key: round(score, 2) for key, score in totals.items()},
                    "confidence": confidence,
                }
            )
        lead = ranked[0][1] if ranked else None
        lost: dict[str, str] = {}  # one reason per owner, however many of its rules lost
        for item in sorted(evidence, key=minus_abs_score):
            rule = item.rule
            entry: dict[str, Any] = {
                "step": "rule",
                "rule": rule.id,
                "score": round(item.score, 2),
                "matched": item.terms,
                "priority": rule.priority,
                "subject": item.subject,
            }
            owner = item.owner
            if owner is not None:
                entry["for"] = owner
            if rule is winner:
                entry["outcome"] = "won"
            elif owner is None:
                entry["outcome"] = "flag"
            elif owner == lead:
                entry["outcome"] = "supported"
            else:
                entry["outcome"] = "lost"
                reason = lost.get(owner)
                if reason is None:
                    reason = lost[owner] = lost_reason(rule, totals, ranked)
                entry["reason"] = reason
            trace.append(entry)
        flags = [e.rule for e in evidence if e.owner is None]
        urgent = bool(winner and winner.urgent) or any(rule.urgent for rule in flags)
        numbers = list(dict.fromkeys(r.emergency for r in flags if r.emergency))
        emergency = None
        if numbers:
            emergency = {"numbers": numbers, "rules": [r.id for r in flags if r.emergency]}
            urgent = True
            trace.append(
                {
                    "step": "emergency",
                    "message": f"emergency: tell the caller to dial {'/'.join(numbers)}",
                }
            )
        if urgency_words:
            trace.append({"step": "urgency", "words": urgency_words, "urgent": urgent})
        spec = self._department(place, winner, trace)
        assisting = self._assisting(place, ranked, best, spec.code, trace) if winner else []
        return Decision(
            assisting=assisting,
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
            confidence=confidence,
        )

    def _department(self, place: PlaceMatch, winner: Rule | None, trace: list) -> Any:
        """Return the department spec for the winning rule (the centre when there is none)."""
        if winner is None:
            spec = self.directory.centre()
            trace.append(
                {"step": "default", "message": f"no rule matched; the 12345 centre {spec.code}"}
            )
            return spec
        if winner.department is not None:
            spec = self.directory.get(winner.department) or self.directory.centre()
            if spec.code != winner.department:
                trace.append(
                    {
                        "step": "department",
                        "message": f"unknown department {winner.department}; the 12345 centre",
                    }
                )
            return spec
        assert winner.function is not None and winner.level is not None
        spec, notes = self.directory.pick(place, winner.function, winner.level)
        wanted = f"{winner.function}@{winner.level}"
        trace.append(
            {"step": "department", "wanted": wanted, "chosen": spec.code, "fallback": notes}
        )
        return spec
