"""Compile a rule set into one keyword automaton so a decision costs the same for any rule count."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.routing.automaton import Automaton
from hotline.routing.rules import URGENCY_GROUP, Rule, RuleSet, expand_terms

# Payload slots: which part of a rule a term belongs to.
ANY, ALL, NONE, URGENCY = 0, 1, 2, 3


@dataclass(slots=True)
class CompiledRules:
    """The rules, one automaton over all their terms, and the rules without keywords."""

    ruleset: RuleSet
    rules: list[Rule]
    automaton: Automaton[tuple[int, int, int]]
    always: list[int]

    @property
    def version(self) -> str:
        """Return the rule set version."""
        return self.ruleset.version


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Build the automaton: each term maps to (rule index, slot, group index)."""
    patterns: list[tuple[str, tuple[int, int, int]]] = []
    always: list[int] = []
    rules = list(ruleset.rules)
    for index, rule in enumerate(rules):
        patterns += [(term, (index, ANY, 0)) for term in rule.any]
        for group, terms in enumerate(rule.all):
            patterns += [(term, (index, ALL, group)) for term in terms]
        patterns += [(term, (index, NONE, 0)) for term in rule.none]
        if not rule.has_keywords:
            always.append(index)
    urgency_terms = expand_terms([f"${URGENCY_GROUP}"], ruleset.synonyms)
    patterns += [(term, (-1, URGENCY, 0)) for term in urgency_terms]
    return CompiledRules(ruleset, rules, Automaton(patterns), always)
