"""Compile a rule set into one keyword automaton so a decision costs the same for any rule count."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.routing.automaton import Automaton
from hotline.routing.rules import (
    NOT_NOW_GROUP,
    SUBSTRING_MARK,
    URGENCY_GROUP,
    Rule,
    RuleSet,
    expand_terms,
)

# Payload slots: which part of a rule a term belongs to.
ANY, ALL, NONE, URGENCY, NOT_NOW = 0, 1, 2, 3, 4
# Terms this long are taken as written even inside longer words: they are rarely accidental.
LOOSE_LENGTH = 4


@dataclass(slots=True)
class CompiledRules:
    """The rules, one automaton over all their terms, and the rules without keywords."""

    ruleset: RuleSet
    rules: list[Rule]
    automaton: Automaton[tuple[bool, tuple[tuple[int, int, int], ...]]]
    always: list[int]
    words: set[str]

    @property
    def version(self) -> str:
        """Return the rule set version."""
        return self.ruleset.version


def _pattern(term: str, index: int, slot: int, group: int) -> tuple[str, tuple]:
    """Return (text to find, payload); the payload says whether word edges are checked."""
    loose = term.startswith(SUBSTRING_MARK)
    word = term[1:] if loose else term
    loose = loose or len(word) >= LOOSE_LENGTH or word.isascii()
    return word, (index, slot, group, loose)


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Build the automaton: each term maps to (rule index, slot, group index, loose)."""
    patterns: list[tuple[str, tuple[int, int, int, bool]]] = []
    always: list[int] = []
    rules = list(ruleset.rules)
    for index, rule in enumerate(rules):
        patterns += [_pattern(term, index, ANY, 0) for term in rule.any]
        for group, terms in enumerate(rule.all):
            patterns += [_pattern(term, index, ALL, group) for term in terms]
        patterns += [_pattern(term, index, NONE, 0) for term in rule.none]
        if not rule.has_keywords:
            always.append(index)
    for slot, name in ((URGENCY, URGENCY_GROUP), (NOT_NOW, NOT_NOW_GROUP)):
        terms = expand_terms([f"${name}"], ruleset.synonyms) if name in ruleset.synonyms else ()
        patterns += [_pattern(term, -1, slot, 0) for term in terms]
    # Only words checked at their edges go into the segmenter's dictionary: a long term there
    # would swallow the short ones inside it (半夜施工 hiding 施工).
    words = {word for word, (_, _, _, loose) in patterns if not loose}
    # One automaton entry per (word, loose): a hit is checked once, whatever rules share it.
    grouped: dict[tuple[str, bool], list[tuple[int, int, int]]] = {}
    for word, (index, slot, group, loose) in patterns:
        grouped.setdefault((word, loose), []).append((index, slot, group))
    entries = [(word, (loose, tuple(p))) for (word, loose), p in grouped.items()]
    return CompiledRules(ruleset, rules, Automaton(entries), always, words)
