"""Turn text into the lower-case bigram tokens the search index stores and queries.

Chinese has no spaces, and PostgreSQL's trigrams need three characters, so every run of word
characters is cut into overlapping two-character tokens: 噪音 and 停水 become findable, and a
longer term must contain all of its bigrams (the LIKE beside it checks their order).
"""

from __future__ import annotations

import re
import unicodedata

WORD_RUN = re.compile(r"\w+")
# A token for the last four digits of the resident's phone ("#" never occurs in a bigram).
PHONE_TAIL = "#"


def normalise(text: str | None) -> str:
    """Return ``text`` folded for matching: full-width to half-width, lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(text: str) -> set[str]:
    """Return the bigram tokens of already normalised ``text`` (a lone character stands alone)."""
    tokens: set[str] = set()
    for run in WORD_RUN.findall(text):
        if len(run) == 1:
            tokens.add(run)
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def term_bigrams(term: str) -> list[str]:
    """Return the tokens a row must hold to contain ``term`` (empty: no token narrows it)."""
    runs = WORD_RUN.findall(term)
    if not runs or all(len(run) < 2 for run in runs):
        return []
    return sorted(bigrams(term) - {r for r in runs if len(r) == 1})


def phone_tail_token(phone: str | None) -> str | None:
    """Return the token naming the last four digits of ``phone``."""
    digits = re.sub(r"\D", "", phone or "")
    return PHONE_TAIL + digits[-4:] if len(digits) >= 4 else None


def document(*parts: str | None) -> str:
    """Return the normalised searchable text of a ticket from its parts."""
    return "\n".join(normalise(p) for p in parts if p)
