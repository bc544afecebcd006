"""Admin tab: the knowledge base's standard answers."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from hotline.core.errors import DomainError
from hotline.core.extensions import db
from hotline.web.admin import bp, form_data, page, refused
from hotline.web.admin.forms import article_form_errors
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
    edit = None
    if request.args.get("edit", "").isdigit():
        edit = knowledge.get_article(int(request.args["edit"]))
    return _articles_page(edit)


def _articles_page(edit: Any, typed: dict[str, Any] | None = None, errors: Any = None) -> str:
    """Render the list and the form: the article edited, or what was typed before a refusal."""
    rows = db.session.scalars(select(KnowledgeArticle).order_by(KnowledgeArticle.title)).all()
    if typed is None:
        typed = {"active": True}
        if edit is not None:
            typed = {k: getattr(edit, k) for k in ("title", "body", "keywords", "active")}
    return page("admin/knowledge.html", "knowledge", articles=rows, edit=edit, form=typed,
                errors=errors or {})  # fmt: skip


def _article_form() -> dict:
    data = form_data("keywords")
    data["active"] = "active" in data
    return ArticleSchema().load(
        {k: v for k, v in data.items() if k in ("title", "body", "keywords", "active")}
    )


def _refused_page(error: ValidationError | DomainError, edit: Any) -> tuple[str, int]:
    """Render the form again as typed, each wrong field said beside it."""
    fields_, status = refused(error)
    typed: dict[str, Any] = {k: request.form.get(k, "") for k in ("title", "body", "keywords")}
    typed["active"] = "active" in request.form
    return _articles_page(edit, typed, article_form_errors(fields_)), status


@bp.post("/knowledge")
@role_required("admin")
def create_article():
    """Add a standard answer; on a mistake, the form again as typed."""
    _knowledge_or_404()
    try:
        article = knowledge.create_article(_article_form(), current_actor())
    except (ValidationError, DomainError) as error:
        return _refused_page(error, None)
    flash(_("已添加知识条目「%(title)s」。", title=article.title), "success")
    return redirect(url_for("web_admin.articles"), 303)


@bp.post("/knowledge/<int:article_id>")
@role_required("admin")
def update_article(article_id: int):
    """Save a standard answer; on a mistake, the form again as typed."""
    _knowledge_or_404()
    try:
        article = knowledge.update_article(article_id, _article_form(), current_actor())
    except (ValidationError, DomainError) as error:
        return _refused_page(error, knowledge.get_article(article_id))
    flash(_("已保存知识条目「%(title)s」。", title=article.title), "success")
    return redirect(url_for("web_admin.articles"), 303)
