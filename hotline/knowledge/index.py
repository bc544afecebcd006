"""An in-memory index of the knowledge base: character pairs of titles and keywords → articles.

Chinese is written without spaces, so a question such as 公积金怎么取 is matched on its character
pairs (公积, 积金, 金怎…) against every article's title and keywords. The index is rebuilt when
an article changes (the count and the newest edit tell), once per process.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from hotline.core.extensions import db
from hotline.knowledge.models import KnowledgeArticle

_lock = threading.Lock()
# Seconds between looks at whether another process changed the articles.
CHECK_EVERY = 5.0


def pairs(text: str) -> set[str]:
    """Return the character pairs of ``text`` (single characters of one-character words)."""
    out: set[str] = set()
    for word in text.lower().split():
        out.update(word[i : i + 2] for i in range(max(len(word) - 1, 1)))
    return out


class KnowledgeIndex:
    """Postings of character pairs for the active articles' titles and keywords."""

    def __init__(self, rows: list[Any]) -> None:
        self.title_pairs: dict[int, set[str]] = {}
        self.postings: dict[str, set[int]] = defaultdict(set)
        for article_id, title, keywords in rows:
            title_pairs = pairs(title)
            self.title_pairs[article_id] = title_pairs
            for pair in title_pairs | pairs(keywords or ""):
                self.postings[pair].add(article_id)

    def candidates(self, query: str, k: int = 60) -> set[int]:
        """Return the ``k`` articles sharing the most character pairs with ``query``."""
        counts: Counter[int] = Counter()
        for pair in pairs(query):
            counts.update(self.postings.get(pair, ()))
        return {article_id for article_id, _n in counts.most_common(k)}

    def overlap(self, article_id: int, query: str) -> int:
        """Score how much of the query the title covers: 2 points a shared pair."""
        return 2 * len(self.title_pairs.get(article_id, set()) & pairs(query))


def forget_index() -> None:
    """Drop this process's index after an edit here (other processes notice within CHECK_EVERY)."""
    current_app.extensions.pop("hotline_knowledge_index", None)


def knowledge_index() -> KnowledgeIndex:
    """Return the app's index, rebuilt when articles were added, changed or removed."""
    cached = current_app.extensions.get("hotline_knowledge_index")
    if cached is not None and time.monotonic() - cached[2] < CHECK_EVERY:
        return cached[1]
    stamp = db.session.execute(
        select(func.count(), func.max(KnowledgeArticle.updated_at)).where(
            KnowledgeArticle.active.is_(True)
        )
    ).one()
    if cached is not None and cached[0] == tuple(stamp):
        current_app.extensions["hotline_knowledge_index"] = (cached[0], cached[1], time.monotonic())
        return cached[1]
    with _lock:
        rows = db.session.execute(
            select(KnowledgeArticle.id, KnowledgeArticle.title, KnowledgeArticle.keywords).where(
                KnowledgeArticle.active.is_(True)
            )
        ).all()
        index = KnowledgeIndex(list(rows))
        current_app.extensions["hotline_knowledge_index"] = (tuple(stamp), index, time.monotonic())
    return index
