"""An Aho–Corasick automaton: find every pattern in a text in one pass.

The scan is ahocorasick_rs's compiled DFA (Rust): a pure-Python automaton or pyahocorasick
walk a Chinese text at about 150 ns a character (a root with hundreds of first characters);
the DFA is ten times faster, and a decision scans each text three times.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from ahocorasick_rs import AhoCorasick, Implementation

T = TypeVar("T", bound=Hashable)
# A DFA takes some 3 KB a pattern: the rules' few thousand words get one; the city's
# 16,000 place names the contiguous NFA (5 MB instead of 60, half as fast).
DFA_MAX_PATTERNS = 4000
# A lone surrogate (JSON lets \ud800 through) has no UTF-8 form for the Rust scan.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_word_char(char: str) -> bool:
    """Return True for ASCII letters and digits, the only characters with word boundaries."""
    return char.isascii() and char.isalnum()


class Automaton(Generic[T]):
    """Map patterns to payloads and report all occurrences in a text in O(len(text) + hits)."""

    def __init__(self, patterns: Iterable[tuple[str, T]]) -> None:
        by_pattern: dict[str, list[T]] = {}
        for pattern, payload in patterns:
            if pattern:
                by_pattern.setdefault(pattern, []).append(payload)
        # Per pattern number: the pattern, whether it is an ASCII word, its payloads in order.
        # ASCII words must match whole words ("gas" must not fire inside "vegas").
        self._entries: list[tuple[str, bool, tuple[T, ...]]] = [
            (pattern, _is_word_char(pattern[0]) or _is_word_char(pattern[-1]), tuple(payloads))
            for pattern, payloads in by_pattern.items()
        ]
        kind = (
            Implementation.DFA
            if len(by_pattern) <= DFA_MAX_PATTERNS
            else Implementation.ContiguousNFA
        )
        self._machine = AhoCorasick(list(by_pattern), implementation=kind) if by_pattern else None
        # Stands in for a lone surrogate: a character of no pattern, so it ends matches as the
        # surrogate (in no pattern either) did, and keeps every position where it was.
        used = set().union(*by_pattern)
        self._filler = next(c for c in map(chr, range(0xFFFF, 0, -1)) if c not in used)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, text: str) -> list[tuple[int, int, str, T]]:
        """Return (start, end, pattern, payload) for every occurrence, in order of end.

        Occurrences ending at the same place come longest first; a pattern's payloads in the
        order they were given.
        """
        hits: list[tuple[int, int, str, T]] = []
        for start, end, pattern, payloads in self.find_grouped(text):
            for payload in payloads:
                hits.append((start, end, pattern, payload))
        return hits

    def find_grouped(self, text: str) -> list[tuple[int, int, str, tuple[T, ...]]]:
        """Return (start, end, pattern, payloads) per occurrence, in the order of find()."""
        if self._machine is None:
            return []
        entries = self._entries
        try:
            found = self._machine.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:
            scanned = _SURROGATE.sub(self._filler, text)
            found = self._machine.find_matches_as_indexes(scanned, overlapping=True)
        hits: list[tuple[int, int, str, tuple[T, ...]]] = []
        for number, start, end in found:
            pattern, ascii_word, payloads = entries[number]
            if ascii_word and not _bounded(text, start, end):
                continue
            hits.append((start, end, pattern, payloads))
        return hits


def _bounded(text: str, start: int, end: int) -> bool:
    """Return True if text[start:end] is not glued to ASCII letters or digits on either side."""
    if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        return False
    return not (end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]))


def longest_non_overlapping(
    hits: list[tuple[int, int, str, tuple[T, ...]]],
) -> list[tuple[int, int, str, list[T]]]:
    """Keep the leftmost-longest occurrences of find_grouped()'s, with their payloads."""
    # The longest occurrence at each start (two patterns never share both ends); then, by
    # start, each that begins after the last one kept ends.
    longest: dict[int, tuple[int, int, str, tuple[T, ...]]] = {}
    for hit in hits:
        known = longest.get(hit[0])
        if known is None or hit[1] > known[1]:
            longest[hit[0]] = hit
    chosen: list[tuple[int, int, str, list[T]]] = []
    last_end = -1
    for start in sorted(longest):
        if start >= last_end:
            _, end, pattern, payloads = longest[start]
            chosen.append((start, end, pattern, list(payloads)))
            last_end = end
    return chosen
