"""Word boundaries from jieba: a rule's word counts only where the text really has that word.

jieba's dictionary is loaded once per process (quietly, from its own package data, no network);
the rules' vocabulary and the city's place names are added to it. Segmenting a whole letter costs
more than a decision may, so only the few hits whose edges a dictionary word could straddle are
segmented, in a small window around them, with jieba's own dynamic programme.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import jieba

# How far a dictionary word may reach across a hit's edge, and the window segmented around it.
_REACH = 4
_WINDOW = 6
# The rules' words are raised to this frequency so that jieba's rare compounds (出车祸, 物业公司)
# do not hide them, yet common words around them still win (严重伤害 stays 严重/伤害).
RULE_FREQ = 20000
PLACE_FREQ = 200
_PUNCTUATION = frozenset("，。！？；：、,.!?;:\n（）()【】[]“”\"' ")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """Return the process's jieba tokenizer, loading its dictionary the first time."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.initialize()
                _tokenizer = made
    return _tokenizer


def add_words(words: Iterable[str], freq: int = RULE_FREQ) -> None:
    """Make sure jieba knows each word at least this frequent (rules' vocabulary, place names)."""
    tk = tokenizer()
    with _lock:
        for word in words:
            if len(word) > 1 and (tk.FREQ.get(word) or 0) < freq and not word.isascii():
                tk.add_word(word, freq)


class Boundaries:
    """Answer 'is text[start:end] a word of the text' for one text, caching windows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.freq = tokenizer().FREQ
        self._cuts: dict[int, bool] = {}

    def is_word(self, start: int, end: int) -> bool:
        """Return True if the text has a word starting at start that does not stop inside."""
        if not self._straddled(start, end):
            return True
        if not self._cut_at(start, start, end):
            return False  # 重伤 in 严重伤害
        # The end may fall inside a longer word that begins with the term (物业 in 物业费).
        return (
            self._cut_at(end, start, end)
            or not any(self._cuts.get(p) for p in range(start + 1, end))
            and self._first_token_end(start) > end
        )

    def _first_token_end(self, start: int) -> int:
        """Return where the word starting at start ends (after _cut_at filled the cache)."""
        position = start + 1
        while position < len(self.text) and not self._cuts.get(position, True):
            position += 1
        return position

    def _straddled(self, start: int, end: int) -> bool:
        """Return True if some dictionary word crosses an edge or extends the hit."""
        text, freq, size = self.text, self.freq, len(self.text)
        for edge in (start, end):
            if edge in (0, size):
                continue
            for left in range(max(0, edge - _REACH + 1), edge):
                for right in range(edge + 1, min(size, left + _REACH) + 1):
                    if freq.get(text[left:right]):
                        return True
        for right in range(end + 1, min(size, start + _REACH + 1) + 1):
            if freq.get(text[start:right]):
                return True
        return False

    def _cut_at(self, edge: int, start: int, end: int) -> bool:
        """Return True if jieba's best segmentation of the window has a boundary at edge."""
        if edge in self._cuts:
            return self._cuts[edge]
        text = self.text
        left = max(0, start - _WINDOW)
        right = min(len(text), end + _WINDOW)
        # A window stops at punctuation: words never cross it.
        for i in range(start - 1, left - 1, -1):
            if text[i] in _PUNCTUATION:
                left = i + 1
                break
        for i in range(end, right):
            if text[i] in _PUNCTUATION:
                right = i
                break
        cuts = self._segment(left, right)
        for position in range(left, right + 1):
            self._cuts.setdefault(position, position in cuts)
        return edge in cuts

    def _segment(self, left: int, right: int) -> set[int]:
        """Return the boundary positions of jieba's best segmentation of text[left:right]."""
        window = self.text[left:right]
        tk = tokenizer()
        dag = tk.get_DAG(window)
        route: dict[int, tuple[float, int]] = {}
        tk.calc(window, dag, route)
        cuts = {left, right}
        position = 0
        while position < len(window):
            position = route[position][1] + 1
            cuts.add(left + position)
        return cuts
