"""The fast scans give what the plain ones gave: every occurrence, NFKC, word edges."""

from __future__ import annotations

import random
import unicodedata

import pytest

from hotline.routing import automaton
from hotline.routing.address import normalise, renormalise
from hotline.routing.automaton import Automaton
from hotline.routing.nfkc import nfkc
from hotline.routing.segment import MIN_FREQ, Boundaries, tokenizer

ALPHABET = "垃圾桶圾清运噪音施工ab1 "


def naive_find(patterns: list[tuple[str, int]], text: str) -> list[tuple[int, int, str, int]]:
    """Every occurrence by brute force, in the automaton's order: by end, longest first."""
    by_pattern: dict[str, list[int]] = {}
    for pattern, payload in patterns:
        by_pattern.setdefault(pattern, []).append(payload)
    hits = []
    for end in range(1, len(text) + 1):
        for pattern in sorted(by_pattern, key=len, reverse=True):
            start = end - len(pattern)
            if start < 0 or text[start:end] != pattern:
                continue
            ascii_word = any(c.isascii() and c.isalnum() for c in (pattern[0], pattern[-1]))
            if not ascii_word or automaton._bounded(text, start, end):
                hits += [(start, end, pattern, payload) for payload in by_pattern[pattern]]
    return hits


@pytest.mark.parametrize("dfa_max", [automaton.DFA_MAX_PATTERNS, 0])
def test_every_occurrence_in_order_with_its_payloads(monkeypatch, dfa_max):
    monkeypatch.setattr(automaton, "DFA_MAX_PATTERNS", dfa_max)  # 0: the contiguous NFA
    rng = random.Random(dfa_max)
    for _ in range(300):
        words = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 4))) for _ in range(8)]
        patterns = [(w.strip(), n) for n, w in enumerate(words + words[:2]) if w.strip()]
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        assert Automaton(patterns).find(text) == naive_find(patterns, text)


def test_ascii_words_match_whole_words_only():
    found = Automaton([("gas", 1), ("煤气", 2)]).find("vegas gas煤气")
    assert [(start, pattern) for start, _, pattern, _ in found] == [(6, "gas"), (9, "煤气")]
    assert Automaton([]).find("anything") == []


def test_a_lone_surrogate_breaks_matches_and_keeps_positions():
    patterns = [("中国", 1), ("ab", 2), ("\uffff", 3)]
    text = "中\ud800国中国ab\udfffab"
    assert Automaton(patterns).find(text) == naive_find(patterns, text)


def test_nfkc_and_refolding_are_exact():
    rng = random.Random(3)
    tricky = "，。！？（）ＡＢｃ１２　\u3099\u309aｶﾞ①㈱\u0301e\u1161\u11a8가ﬁ²½ İ中文 ab"
    for _ in range(2000):
        text = "".join(rng.choice(tricky) for _ in range(rng.randint(1, 12)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
        folded = normalise(text)
        assert renormalise(folded) == normalise.__wrapped__(folded)


def test_the_pair_filter_changes_no_word_edge():
    freq = tokenizer().FREQ

    def straddled(text: str, start: int, end: int) -> bool:
        """Boundaries._straddled without the filter."""
        size = len(text)
        strong = lambda word: (freq.get(word) or 0) >= MIN_FREQ  # noqa: E731
        for edge in (start, end):
            if 0 < edge < size and (
                strong(text[edge - 1 : edge + 1])
                or (edge >= 2 and strong(text[edge - 2 : edge + 1]))
                or (edge + 2 <= size and strong(text[edge - 1 : edge + 2]))
            ):
                return True
        return end < size and end - start < 3 and strong(text[start : end + 1])

    text = "小区门口垃圾桶满了没人清运，晚上工地施工噪音很大严重影响休息，有人受伤。"
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 5) + 1):
            assert Boundaries(text)._straddled(start, end) == straddled(text, start, end)
