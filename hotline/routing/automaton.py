"""A pure-Python Aho–Corasick automaton: find every pattern in a text in one pass."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


def _is_word_char(char: str) -> bool:
    """Return True for ASCII letters and digits, the only characters with word boundaries."""
    return char.isascii() and char.isalnum()


class Automaton(Generic[T]):
    """Map patterns to payloads and report all occurrences in a text in O(len(text) + hits)."""

    def __init__(self, patterns: Iterable[tuple[str, T]]) -> None:
        self._goto: list[dict[str, int]] = [{}]
        self._outputs: list[list[tuple[str, T]]] = [[]]
        # ASCII words must match whole words ("gas" must not fire inside "vegas").
        self._ascii_word: dict[str, bool] = {}
        for pattern, payload in patterns:
            if not pattern:
                continue
            state = 0
            for char in pattern:
                nxt = self._goto[state].get(char)
                if nxt is None:
                    nxt = len(self._goto)
                    self._goto.append({})
                    self._outputs.append([])
                    self._goto[state][char] = nxt
                state = nxt
            self._outputs[state].append((pattern, payload))
            self._ascii_word[pattern] = _is_word_char(pattern[0]) or _is_word_char(pattern[-1])
        self._fail = [0] * len(self._goto)
        self._build_failures()

    def _build_failures(self) -> None:
        """Compute failure links breadth first and merge outputs along them."""
        queue: deque[int] = deque(self._goto[0].values())
        while queue:
            state = queue.popleft()
            for char, nxt in self._goto[state].items():
                queue.append(nxt)
                fallback = self._fail[state]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                target = self._goto[fallback].get(char, 0)
                self._fail[nxt] = target if target != nxt else 0
                self._outputs[nxt] = self._outputs[nxt] + self._outputs[self._fail[nxt]]

    def __len__(self) -> int:
        return len(self._ascii_word)

    def find(self, text: str) -> list[tuple[int, int, str, T]]:
        """Return (start, end, pattern, payload) for every occurrence, in order of end."""
        goto, fail, outputs = self._goto, self._fail, self._outputs
        hits: list[tuple[int, int, str, T]] = []
        state = 0
        for index, char in enumerate(text):
            while state and char not in goto[state]:
                state = fail[state]
            state = goto[state].get(char, 0)
            if state and outputs[state]:
                end = index + 1
                for pattern, payload in outputs[state]:
                    start = end - len(pattern)
                    if self._ascii_word[pattern] and not _bounded(text, start, end):
                        continue
                    hits.append((start, end, pattern, payload))
        return hits


def _bounded(text: str, start: int, end: int) -> bool:
    """Return True if text[start:end] is not glued to ASCII letters or digits on either side."""
    if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        return False
    return not (end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]))


def longest_non_overlapping(
    hits: list[tuple[int, int, str, T]],
) -> list[tuple[int, int, str, list[T]]]:
    """Keep the leftmost-longest occurrences, grouping payloads of the same span."""
    spans: dict[tuple[int, int], tuple[str, list[T]]] = {}
    for start, end, pattern, payload in hits:
        spans.setdefault((start, end), (pattern, []))[1].append(payload)
    chosen: list[tuple[int, int, str, list[T]]] = []
    last_end = -1
    for (start, end), (pattern, payloads) in sorted(
        spans.items(), key=lambda i: (i[0][0], -i[0][1])
    ):
        if start >= last_end:
            chosen.append((start, end, pattern, payloads))
            last_end = end
    return chosen
