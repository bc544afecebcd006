"""政务公开: the aggregate figures per district, for anyone, with no personal data."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from hotline.api.parsing import query_args
from hotline.assessment.operations import previous_month, ranked_with_previous
from hotline.core.context import settings
from hotline.core.kept import kept
from hotline.core.timeutil import to_local, utcnow
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
        labels=labels.TEMPLATE_LABELS,
        pct=labels.percent,
        assessment=public_assessment(),
    )


# Last month's ranking changes slowly (late ratings): counted at most once per this many
# seconds per process, as the public figures are (hotline.stats.figures.public_figures).
ASSESSMENT_MAX_AGE = 600


def public_assessment() -> dict[str, object]:
    """Return last month's district ranking (scores only: no names of people, no tickets)."""
    local = to_local(utcnow(), settings().timezone)
    assert local is not None
    month = previous_month(f"{local:%Y-%m}")
    ttl = max(settings().stats_max_age, ASSESSMENT_MAX_AGE) if settings().stats_max_age else 0
    return kept("public_assessment", month, lambda: _ranking(month), ttl)


def _ranking(month: str) -> dict[str, object]:
    rows = ranked_with_previous(
        "district",
        month,
        settings().timezone,
        utcnow(),
        current_app.extensions["hotline_assessment"],
    )
    ranked = sorted((r for r in rows if r["ranked"]), key=lambda r: r["rank"])
    return {"month": month, "items": ranked}
