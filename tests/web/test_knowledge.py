"""The knowledge base: search ranking, admin-only edits, idempotent demo seed."""

from __future__ import annotations

import pytest

from hotline.api.errors import http_status
from hotline.core.actors import Actor
from hotline.core.errors import DomainError
from hotline.knowledge import operations as kb

ADMIN = Actor(1, "admin", "admin")
OPERATOR = Actor(2, "op", "operator")


def test_seed_is_idempotent_and_searchable(ctx):
    assert kb.seed_articles() >= 10
    assert kb.seed_articles() == 0
    assert kb.search("公积金怎么提取")[0].title == "住房公积金提取"
    assert kb.search("居住证")[0].title == "居住证办理"
    assert kb.search("停电了找谁")[0].title == "停水停电信息查询"
    assert kb.search("火星移民") == []
    assert len(kb.search("", limit=5)) == 5


def test_only_admins_edit(ctx):
    data = {"title": "测试条目", "body": "正文", "keywords": "测试", "active": True}
    with pytest.raises(DomainError) as refused:
        kb.create_article(data, OPERATOR)
    assert http_status(refused.value) == 403
    article = kb.create_article(data, ADMIN)
    with pytest.raises(DomainError) as dup:
        kb.create_article(data, ADMIN)
    assert http_status(dup.value) == 409
    kb.update_article(article.id, {"active": False}, ADMIN)
    assert kb.search("测试条目") == []
    with pytest.raises(DomainError):
        kb.update_article(article.id, {"active": True}, OPERATOR)
    with pytest.raises(DomainError) as missing:
        kb.update_article(99999, {"active": True}, ADMIN)
    assert http_status(missing.value) == 404


def test_demo_seed_adds_the_articles(ctx):
    from hotline.demo import seed_demo

    seed_demo()
    assert kb.search("医保报销")


def test_every_article_is_findable_and_questions_rank_by_meaning(ctx, monkeypatch):
    from hotline.core.extensions import db as _db
    from hotline.knowledge import index
    from hotline.knowledge import operations as kb
    from hotline.knowledge.models import KnowledgeArticle

    # Rows written behind the app's back, as by another process: seen at the next look.
    monkeypatch.setattr(index, "CHECK_EVERY", 0)
    # More articles than the old 2,000-by-title window; the one asked about sorts last.
    _db.session.add_all(
        KnowledgeArticle(title=f"办事指南第{i:05d}号", body="按规定办理。", keywords="办事")
        for i in range(2100)
    )
    _db.session.add(
        KnowledgeArticle(title="鼹鼠防治咨询", body="联系区农业农村局。", keywords="鼹鼠")
    )
    _db.session.add(
        KnowledgeArticle(
            title="住房公积金提取", body="携带身份证到公积金中心。", keywords="公积金 提取"
        )
    )
    _db.session.commit()
    assert [a.title for a in kb.search("鼹鼠")] == ["鼹鼠防治咨询"]
    # A resident's sentence, no spaces: the character pairs find the right answer first.
    assert kb.search("请问公积金怎么提取")[0].title == "住房公积金提取"
    # Body text is searched too, and an edit is seen at once.
    assert kb.search("农业农村局")[0].title == "鼹鼠防治咨询"
    article = _db.session.scalar(
        _db.select(KnowledgeArticle).where(KnowledgeArticle.title == "鼹鼠防治咨询")
    )
    article.title = "田鼠防治咨询"
    _db.session.commit()
    assert [a.title for a in kb.search("田鼠")] == ["田鼠防治咨询"]
