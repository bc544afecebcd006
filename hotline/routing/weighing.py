"""How much one rule's evidence weighs, and how an owner's evidence adds up."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.routing.evidence import SUBJECT_FACTOR, Reading
from hotline.routing.rules import Rule


@dataclass(slots=True)
class Evidence:
    """One matching rule and how much it weighs."""

    rule: Rule
    score: float
    terms: list[str]
    subject: bool
    # What the rule votes for (owner_of), None for a rule that only flags.
    owner: str | None


def minus_score(item: Evidence) -> float:
    """Sort key: strongest first."""
    return -item.score


def minus_abs_score(item: Evidence) -> float:
    """Sort key: weightiest first, for or against."""
    return -abs(item.score)


def combine(ordered: list[Evidence]) -> float:
    """Return an owner's total (its evidence strongest first): the strongest rule fully, others
    half for the words they add.

    Rules of one owner often share words (价格 in three market rules): a word already counted
    by a stronger rule adds nothing again. Evidence against (negative weights) counts fully.
    """
    total, seen = 0.0, set()
    for number, item in enumerate(ordered):
        if item.score <= 0:
            total += item.score
            continue
        new = [t for t in item.terms if t not in seen] if item.terms else [None]
        seen.update(item.terms)
        share = len(new) / max(len(item.terms), 1)
        total += item.score * share * (1.0 if number == 0 else 0.5)
    return total


def combine_one(item: Evidence) -> float:
    """Return combine([item]): all its words are new, so its score (as added to 0.0)."""
    return item.score if item.score > 0 else 0.0 + item.score


def owner_of(rule: Rule) -> str:
    """Return what a routing rule votes for: a function, or one named department."""
    return rule.department or rule.function or "?"


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What a decision needs of a rule, worked out once."""

    rule: Rule
    keywords: bool
    # Only 'any' words and nothing else to check (no 'all', regex, type, place, time...).
    plain: bool
    owner: str | None
    weight: float

    @classmethod
    def of(cls, rule: Rule) -> RuleFacts:
        """Return the facts of one rule."""
        plain = bool(rule.any) and not (
            rule.all
            or rule.regex
            or rule.types
            or rule.channels
            or rule.places
            or rule.urgency is not None
            or rule.times
        )
        owner = owner_of(rule) if rule.routes else None
        return cls(rule, rule.has_keywords, plain, owner, rule.evidence_weight)


def weigh(fact: RuleFacts, terms: dict[str, list[int]], reading: Reading) -> Evidence:
    """Return the rule's evidence: its weight times its words' (the strongest counts fully)."""
    rule = fact.rule
    if not terms:
        # A rule of conditions only (a ticket type, a channel): as strong as the subject.
        return Evidence(rule, fact.weight * SUBJECT_FACTOR, [], True, fact.owner)
    # Reading.weight of each term, with the minimum of its positions found once.
    subject_end, in_subject, weights = reading.subject_end, False, []
    for starts in terms.values():
        if min(starts) < subject_end:
            in_subject = True
            base = SUBJECT_FACTOR
        else:
            base = 1.0
        weights.append(base * (1 + 0.25 * min(len(starts) - 1, 4)))
    weights.sort(reverse=True)
    strength = weights[0] + 0.5 * sum(weights[1:4])
    return Evidence(rule, fact.weight * strength, sorted(terms), in_subject, fact.owner)


def lost_reason(rule: Rule, totals: dict[str, float], ranked: list[tuple[float, str]]) -> str:
    """Explain why a matching rule did not carry the decision."""
    mine = totals.get(owner_of(rule), 0.0)
    if not ranked:
        return "no owner has positive evidence"
    score, key = ranked[0]
    return f"{owner_of(rule)} totals {mine:.1f} < {score:.1f} for {key}"
