"""Search the standard answers; admins create and edit them; demo data seeds a real set."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.errors import Conflict, NotFound
from hotline.core.extensions import db
from hotline.core.permissions import require_admin
from hotline.core.timeutil import utcnow
from hotline.knowledge.index import forget_index, knowledge_index
from hotline.knowledge.models import KnowledgeArticle
from hotline.knowledge.seed import ARTICLES

# Articles matched by body text per query term, besides the best title and keyword matches.
BODY_HITS = 20


def _score(article: KnowledgeArticle, query: str, terms: list[str]) -> int:
    """Rank an article for a query: title hits first, then keywords found in the query."""
    score = 0
    for term in terms:
        if term in article.title:
            score += 10
        if term in article.keywords:
            score += 5
        if term in article.body:
            score += 1
    # Residents ask in sentences ("公积金怎么取"): a keyword inside the query is a hit too.
    for keyword in article.keywords.split():
        if keyword and keyword in query:
            score += 6
    return score


def search(query: str, limit: int = 8) -> list[KnowledgeArticle]:
    """Return the active articles that best match ``query`` (the first by title, when empty).

    Every article is searched: an in-memory index of the titles' and keywords' character
    pairs (Chinese has no spaces between words) picks the candidates, bodies are matched in
    the database, and the candidates are ranked as before.
    """
    query = query.strip()
    if not query:
        return list(
            db.session.scalars(
                select(KnowledgeArticle)
                .where(KnowledgeArticle.active.is_(True))
                .order_by(KnowledgeArticle.title)
                .limit(limit)
            )
        )
    terms = [t for t in query.split() if t]
    index = knowledge_index()
    ids = index.candidates(query)
    # Bodies are read only when titles and keywords leave room on the list.
    for term in terms if len(ids) < limit else ():
        body_hits = select(KnowledgeArticle.id).where(
            KnowledgeArticle.active.is_(True),
            KnowledgeArticle.body.contains(term, autoescape=True),
        )
        ids.update(db.session.scalars(body_hits.limit(BODY_HITS)))
    if not ids:
        return []
    articles = db.session.scalars(select(KnowledgeArticle).where(KnowledgeArticle.id.in_(ids)))
    scored = [(_score(a, query, terms) + index.overlap(a.id, query), a) for a in articles]
    ranked = sorted((p for p in scored if p[0] > 0), key=lambda p: (-p[0], p[1].title))
    return [a for _, a in ranked[:limit]]


def get_article(article_id: int) -> KnowledgeArticle:
    """Return one article or 404."""
    article = db.session.get(KnowledgeArticle, article_id)
    if article is None:
        raise NotFound("article")
    return article


def _require_admin(actor: Actor) -> None:
    require_admin(actor, "only admins maintain the knowledge base")


def _unique_title(title: str, exclude: int | None = None) -> None:
    other = db.session.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.title == title))
    if other is not None and other != exclude:
        raise Conflict("title", "an article with this title exists")


def create_article(data: dict[str, Any], actor: Actor) -> KnowledgeArticle:
    """Add a standard answer (admins only); commit."""
    _require_admin(actor)
    _unique_title(data["title"])
    article = KnowledgeArticle(
        title=data["title"],
        body=data["body"],
        keywords=data.get("keywords") or "",
        active=data.get("active", True),
        updated_at=utcnow(),
    )
    db.session.add(article)
    db.session.commit()
    forget_index()
    return article


def update_article(article_id: int, data: dict[str, Any], actor: Actor) -> KnowledgeArticle:
    """Change a standard answer (admins only); commit."""
    _require_admin(actor)
    article = get_article(article_id)
    if "title" in data:
        _unique_title(data["title"], exclude=article.id)
    for key in ("title", "body", "keywords", "active"):
        if key in data:
            setattr(article, key, data[key])
    article.updated_at = utcnow()
    db.session.commit()
    forget_index()
    return article


def seed_articles() -> int:
    """Add the standard demo answers that are missing; return how many were added."""
    titles = set(db.session.scalars(select(KnowledgeArticle.title)))
    added = 0
    for title, keywords, body in ARTICLES:
        if title not in titles:
            db.session.add(KnowledgeArticle(title=title, keywords=keywords, body=body))
            added += 1
    db.session.commit()
    forget_index()
    return added
