"""Admin tab: the knowledge base's standard answers."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from hotline.core.extensions import db
from hotline.web.admin import bp, form_data, page
from hotline.web.auth import current_actor, role_required

try:  # the knowledge base is its own package; the page appears once it is installed
    from hotline.knowledge import operations as knowledge
    from hotline.knowledge.models import KnowledgeArticle
    from hotline.knowledge.schemas import ArticleSchema
except ImportError:  # pragma: no cover - depends on the installed packages
    knowledge = None  # type: ignore[assignment]


def _knowledge_or_404() -> None:
    if knowledge is None:
        abort(404)


@bp.get("/knowledge")
@role_required("admin")
def articles():
    """List the standard answers, with the form to add one."""
    _knowledge_or_404()
    rows = db.session.scalars(select(KnowledgeArticle).order_by(KnowledgeArticle.title)).all()
    edit = None
    if request.args.get("edit", "").isdigit():
        edit = knowledge.get_article(int(request.args["edit"]))
    return page("admin/knowledge.html", "knowledge", articles=rows, edit=edit)


def _article_form() -> dict:
    data = form_data("keywords")
    data["active"] = "active" in data
    return ArticleSchema().load(
        {k: v for k, v in data.items() if k in ("title", "body", "keywords", "active")}
    )


@bp.post("/knowledge")
@role_required("admin")
def create_article():
    """Add a standard answer."""
    _knowledge_or_404()
    article = knowledge.create_article(_article_form(), current_actor())
    flash(_("已添加知识条目「%(title)s」。", title=article.title), "success")
    return redirect(url_for("web_admin.articles"), 303)


@bp.post("/knowledge/<int:article_id>")
@role_required("admin")
def update_article(article_id: int):
    """Save a standard answer."""
    _knowledge_or_404()
    article = knowledge.update_article(article_id, _article_form(), current_actor())
    flash(_("已保存知识条目「%(title)s」。", title=article.title), "success")
    return redirect(url_for("web_admin.articles"), 303)
