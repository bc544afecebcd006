"""Read a text once: which rule words it holds, where, and whether they are said of now."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from hotline.routing.compiler import ALL, ANY, NOT_NOW, URGENCY, CompiledRules
from hotline.routing.segment import Boundaries

# The subject weighs this much more than the body (the first sentence, an SMS's first line).
SUBJECT_FACTOR = 3.0
# Beyond this length a text is a letter: its emergency and urgency words must be in the subject.
LETTER_LENGTH = 100
# A date in the clause puts the event in the past (2018年7月11日, 99年).
_DATE = re.compile(r"\d{2,4}年|\d{1,2}月\d{1,2}[日号]")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
SUBJECT_MAX = 60


def subject_end(text: str) -> int:
    """Return where the subject ends: an Open311 【service】, else the first sentence or line."""
    if text.startswith("【"):
        close = text.find("】", 1, SUBJECT_MAX)
        if close > 0:
            return close + 1
    found = _SENTENCE_END.search(text, 0, SUBJECT_MAX + 1)
    return found.end() if found else min(len(text), SUBJECT_MAX)


@dataclass(slots=True)
class RuleHits:
    """The terms of one rule found in the text: per slot, with their positions."""

    any: dict[str, list[int]] = field(default_factory=dict)
    all: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    none: set[str] = field(default_factory=set)

    def terms(self) -> dict[str, list[int]]:
        """Return every positive term with its start positions."""
        found = {t: list(p) for t, p in self.any.items()}
        for group in self.all.values():
            for term, starts in group.items():
                found.setdefault(term, []).extend(starts)
        return found


@dataclass(slots=True)
class Reading:
    """What one pass of the automaton found in a text."""

    text: str
    subject_end: int
    hits: dict[int, RuleHits]
    urgency: dict[str, list[int]]
    not_now: list[int]
    clause_ends: list[int]
    sentence_ends: list[int]
    split: list[str] = field(default_factory=list)

    def clause(self, position: int) -> int:
        """Return the number of the clause a position is in."""
        return bisect.bisect_right(self.clause_ends, position)

    def said_now(self, position: int) -> bool:
        """Tell whether a word at position is about something happening now."""
        sentence = bisect.bisect_right(self.sentence_ends, position)
        if any(bisect.bisect_right(self.sentence_ends, p) == sentence for p in self.not_now):
            return False  # 万一 / 曾经 / 隐患 / 医药费 in the same sentence
        clause = self.clause(position)
        start = self.clause_ends[clause - 1] if clause else 0
        stop = self.clause_ends[clause] if clause < len(self.clause_ends) else len(self.text)
        if _DATE.search(self.text, start, stop):
            return False
        return len(self.text) <= LETTER_LENGTH or position < self.subject_end

    def weight(self, starts: list[int]) -> float:
        """Return the evidence of one term: more if in the subject, a little more if repeated."""
        base = SUBJECT_FACTOR if min(starts) < self.subject_end else 1.0
        return base * (1 + 0.25 * min(len(starts) - 1, 4))


def read(compiled: CompiledRules, text: str, subject: str | None = None) -> Reading:
    """Find every rule word in the text (subject first), keeping only real words."""
    end = len(subject) + 1 if subject else subject_end(text)
    full = f"{subject}。{text}" if subject else text
    bounds = Boundaries(full)
    hits: dict[int, RuleHits] = {}
    urgency: dict[str, list[int]] = {}
    not_now: list[int] = []
    split: list[str] = []
    for start, stop, term, entries in compiled.automaton.find_grouped(full):
        for loose, payloads in entries:
            if not loose and not bounds.is_word(start, stop):
                split.append(term)
                continue
            for index, slot, group in payloads:
                if slot == URGENCY:
                    urgency.setdefault(term, []).append(start)
                elif slot == NOT_NOW:
                    not_now.append(start)
                else:
                    found = hits.get(index)
                    if found is None:
                        found = hits[index] = RuleHits({}, {}, set())
                    if slot == ANY:
                        found.any.setdefault(term, []).append(start)
                    elif slot == ALL:
                        found.all.setdefault(group, {}).setdefault(term, []).append(start)
                    else:
                        found.none.add(term)
    ends = [m.start() for m in _CLAUSE_END.finditer(full)]
    sentences = [m.start() for m in _SENTENCE_END.finditer(full)]
    return Reading(full, end, hits, urgency, not_now, ends, sentences, sorted(set(split)))
