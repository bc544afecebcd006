"""Word boundaries from jieba: a rule's word counts only where the text really has that word.

jieba's dictionary is loaded once per process (quietly, from its own package data, no network);
the rules' vocabulary and the city's place names are added to it. Segmenting a whole letter costs
more than a decision may, so only the few hits whose edges a dictionary word could straddle are
segmented, in a small window around them, with jieba's own dynamic programme.
"""

from __future__ import annotations

import gc
import logging
import math
import threading
from collections.abc import Iterable

import jieba

# How far a dictionary word may reach across a hit's edge, and the window segmented around it.
_REACH = 3
_WINDOW = 4
_LONGEST = 6
# The rules' words are raised to this frequency so that jieba's rare compounds (出车祸, 物业公司)
# do not hide them, yet common words around them still win (严重伤害 stays 严重/伤害).
RULE_FREQ = 2000
# Dictionary entries rarer than this are noise (出车祸, 物业公司: 3): not words for the check.
MIN_FREQ = 20
PLACE_FREQ = 200
_PUNCTUATION = frozenset("，。！？；：、,.!?;:\n（）()【】[]“”\"' ")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
# Every two characters inside a dictionary word of two or three characters at least MIN_FREQ
# frequent: an edge whose two characters are not among them is crossed by no such word, which
# settles most edges with one look-up instead of three.
_pairs: set[str] = set()


def tokenizer() -> jieba.Tokenizer:
    """Return the process's jieba tokenizer, loading its dictionary the first time."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.initialize()
                for word, count in made.FREQ.items():
                    if count >= MIN_FREQ:
                        _add_pairs(word)
                # Half a million dictionary entries: move them out of the collector's sight, or
                # every full collection walks them during a decision.
                gc.freeze()
                _tokenizer = made
    return _tokenizer


def _add_pairs(word: str) -> None:
    """Note the character pairs of a word of two or three characters."""
    if len(word) == 2:
        _pairs.add(word)
    elif len(word) == 3:
        _pairs.add(word[:2])
        _pairs.add(word[1:])


def add_words(words: Iterable[str], freq: int = RULE_FREQ) -> None:
    """Make sure jieba knows each word at least this frequent (rules' vocabulary, place names)."""
    tk = tokenizer()
    with _lock:
        for word in words:
            if len(word) > 1 and (tk.FREQ.get(word) or 0) < freq and not word.isascii():
                tk.add_word(word, freq)
                _add_pairs(word)


class Boundaries:
    """Answer 'is text[start:end] a word of the text' for one text, caching windows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.freq = tokenizer().FREQ
        self._cuts: dict[int, bool] = {}

    def is_word(self, start: int, end: int) -> bool:
        """Return True if the best segmentation has a word boundary at both edges.

        Not memoised: a text's hits are distinct spans, and a repeated question gets the same
        answer from the cut positions already kept.
        """
        return not self._straddled(start, end) or (
            self._cut_at(start, start, end) and self._cut_at(end, start, end)
        )

    def _straddled(self, start: int, end: int) -> bool:
        """Return True if a dictionary word (2-3 characters) crosses an edge or extends the hit."""
        text, freq, size, pairs = self.text, self.freq, len(self.text), _pairs
        # Each word looked up below holds the two characters around its edge (the word extending
        # the hit: those around the end): without them in _pairs, no look-up can succeed.
        for edge in (start, end):
            if (
                0 < edge < size
                and text[edge - 1 : edge + 1] in pairs
                and (
                    (freq.get(text[edge - 1 : edge + 1]) or 0) >= MIN_FREQ
                    or (edge >= 2 and (freq.get(text[edge - 2 : edge + 1]) or 0) >= MIN_FREQ)
                    or (edge + 2 <= size and (freq.get(text[edge - 1 : edge + 2]) or 0) >= MIN_FREQ)
                )
            ):
                return True
        return (
            end < size
            and end - start < _REACH
            and text[end - 1 : end + 1] in pairs
            and (freq.get(text[start : end + 1]) or 0) >= MIN_FREQ
        )

    def _cut_at(self, edge: int, start: int, end: int) -> bool:
        """Return True if jieba's best segmentation of the window has a boundary at edge."""
        known = self._cuts.get(edge)
        if known is not None:
            return known
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
        kept = self._cuts
        for position in range(left, right + 1):
            if position not in kept:
                kept[position] = position in cuts
        return edge in cuts

    def _segment(self, left: int, right: int) -> set[int]:
        """Return the boundaries of the most likely segmentation of text[left:right].

        jieba's dynamic programme over its dictionary, ignoring entries rarer than MIN_FREQ.
        """
        text = self.text
        size = right - left
        get, log = self.freq.get, math.log
        log_total = log(tokenizer().total)
        # best[i]: the score of the best segmentation of window[i:] (window: text[left:right]),
        # its first word ending at after[i]. Words are sliced from the text itself.
        best = [0.0] * (size + 1)
        after = [size] * (size + 1)
        for i in range(size - 1, -1, -1):
            at = left + i
            score, end = log(get(text[at]) or 1) - log_total + best[i + 1], i + 1
            stop = i + _LONGEST if i + _LONGEST < size else size
            j = i + 2
            while j <= stop:
                count = get(text[at : left + j])
                if count is None:
                    break  # no dictionary word starts with this prefix
                if count >= MIN_FREQ:
                    longer = log(count) - log_total + best[j]
                    if longer > score:
                        score, end = longer, j
                j += 1
            best[i] = score
            after[i] = end
        cuts = {left, right}
        position = 0
        while position < size:
            position = after[position]
            cuts.add(left + position)
        return cuts
