"""Admin pages: knowledge-base articles, Open311 API keys and the routing rules (read-only)."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from sqlalchemy import select

from hotline.extensions import db
from hotline.open311 import operations as open311
from hotline.routing.stats import rule_stats
from hotline.tickets.context import settings
from hotline.web.admin import bp, form_data, page
from hotline.web.auth import current_actor, role_required

try:  # the knowledge base is its own package; the page appears once it is installed
    from hotline.knowledge import operations as knowledge
    from hotline.knowledge.models import KnowledgeArticle
    from hotline.knowledge.schemas import ArticleSchema
except ImportError:  # pragma: no cover - depends on the installed packages
    knowledge = None  # type: ignore[assignment]

RULE_SUFFIXES = (".yaml", ".yml")


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
    return redirect("/admin/knowledge", 303)


@bp.post("/knowledge/<int:article_id>")
@role_required("admin")
def update_article(article_id: int):
    """Save a standard answer."""
    _knowledge_or_404()
    article = knowledge.update_article(article_id, _article_form(), current_actor())
    flash(_("已保存知识条目「%(title)s」。", title=article.title), "success")
    return redirect("/admin/knowledge", 303)


@bp.get("/keys")
@role_required("admin")
def keys():
    """List the Open311 API keys."""
    return page("admin/keys.html", "keys", keys=open311.list_keys(), new_key=None)


@bp.post("/keys")
@role_required("admin")
def create_key():
    """Issue a key and show it this once (only its hash is kept)."""
    row, key = open311.create_key(request.form.get("name", ""), current_actor())
    flash(_("已为「%(name)s」创建接口密钥，请立即复制保存，离开本页后将无法再次查看。",
            name=row.name), "warning")  # fmt: skip
    response = page("admin/keys.html", "keys", keys=open311.list_keys(), new_key=key)
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/keys/<int:key_id>/revoke")
@role_required("admin")
def revoke_key(key_id: int):
    """Revoke a key; clients using it get 403 from then on."""
    row = open311.revoke_key(key_id, current_actor())
    flash(_("已吊销「%(name)s」的接口密钥。", name=row.name), "success")
    return redirect("/admin/keys", 303)


@bp.get("/rules")
@role_required("admin")
def rules():
    """Show the routing rule files (read-only) and how often each rule decided."""
    folder = settings().rules_dir
    files = sorted(p.name for p in folder.iterdir() if p.suffix in RULE_SUFFIXES)
    chosen = request.args.get("file") or (files[0] if files else None)
    if chosen is not None and chosen not in files:
        abort(404)
    text = (folder / chosen).read_text(encoding="utf-8") if chosen else ""
    return page("admin/rules.html", "rules", files=files, chosen=chosen, text=text,
                stats=rule_stats(), autodispatch=autodispatch_state(),
                bar=settings())  # fmt: skip


from hotline.web.admin_routing import autodispatch_state  # noqa: E402 - registers its route
