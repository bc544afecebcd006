"""Admin tab: the routing rule files (read-only) and their statistics."""

from __future__ import annotations

from flask import abort, request

from hotline.core.context import settings
from hotline.routing.stats import rule_stats
from hotline.web.admin import bp, page
from hotline.web.auth import role_required

RULE_SUFFIXES = (".yaml", ".yml")


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
                stats=rule_stats())  # fmt: skip
