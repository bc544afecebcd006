"""政务公开: the aggregate figures per district, for anyone, with no personal data."""

from __future__ import annotations

from flask import Blueprint, render_template

from hotline.api.parsing import query_args
from hotline.stats import charts
from hotline.stats.figures import public_figures, window_of
from hotline.stats.schemas import PublicQuerySchema
from hotline.web import labels

bp = Blueprint("web_public", __name__, url_prefix="/public")


@bp.get("")
def index():
    """Show tickets received, the three rates and overdue counts of every district."""
    args = PublicQuerySchema().load(query_args())
    w = window_of(args)
    figures = public_figures(w)
    rows = [{"name": r["name"], **r} for r in figures["items"]]
    ranked = sorted(
        (r for r in rows if r["satisfaction_rate"] is not None),
        key=lambda r: (-r["satisfaction_rate"], -r["received"], r["code"]),
    )
    return render_template(
        "public/index.html",
        figures=figures,
        window=w,
        chart=charts.bars(ranked, "satisfaction_rate", label_w=120),
        labels=labels,
        pct=labels.percent,
    )
