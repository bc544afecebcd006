"""The daily aggregates: what the rates are read from, equal to a full recount at every step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hotline.core.actors import Actor
from hotline.core.extensions import db
from hotline.core.timeutil import utcnow
from hotline.stats import operations as ops
from hotline.stats import rollup
from hotline.stats.models import StatsWatermark
from hotline.stats.window import window
from hotline.tickets.models import Ticket
from tests.support.stats import TZ, assert_rebuild_changes_nothing, build

OPERATOR = Actor(1, "op", "operator")


def rate_one_counted_ticket() -> None:
    """Rate the first unrated ticket the figures count, behind the aggregates' back."""
    ticket = db.session.scalar(
        select(Ticket)
        .where(Ticket.rating.is_(None), Ticket.status != "merged", Ticket.emergency.is_(False))
        .order_by(Ticket.id)
        .limit(1)
    )
    ticket.rating, ticket.rated_at, ticket.updated_at = "satisfied", utcnow(), utcnow()
    db.session.commit()


def test_aggregates_agree_with_a_recount_as_tickets_change(ctx):
    build()
    assert rollup.refresh() > 0
    assert rollup.verify() == []
    before = ops.totals(OPERATOR, "5101", window(TZ), utcnow())["rated"]
    # A change the aggregates have not seen yet: the next refresh recounts that day only.
    rate_one_counted_ticket()
    assert rollup.verify() != []  # stale until refreshed
    assert rollup.refresh() == 1
    assert rollup.verify() == []
    assert ops.totals(OPERATOR, "5101", window(TZ), utcnow())["rated"] == before + 1
    # Rebuilding from nothing gives the same rows.
    assert_rebuild_changes_nothing()


def test_a_sign_for_limit_passing_is_recounted_without_a_ticket_change(ctx):
    build()
    rollup.refresh()
    mark = db.session.get(StatsWatermark, rollup.NAME)
    pending = db.session.scalars(
        select(Ticket).where(Ticket.status == "dispatched", Ticket.sign_due > mark.as_of)
    ).all()
    assert pending, "the fixtures have a ticket still inside its sign-for limit"
    later = max(t.sign_due for t in pending) + timedelta(seconds=1)
    assert rollup.refresh(later) >= 1
    assert rollup.verify() == []


def test_rates_say_how_fresh_they_are_and_the_cli_verifies(ctx, client, staff):
    build()
    body = client.get("/api/v1/stats/rates", headers=staff("operator")).json
    assert body["as_of"] and body["as_of"].endswith("Z")
    assert client.get("/api/v1/stats/public").json["as_of"]
    result = ctx.test_cli_runner().invoke(args=["stats", "verify"])
    assert result.exit_code == 0 and "agree" in result.output, result.output


def test_public_figures_are_served_from_a_cache_for_the_max_age(
    app, client, new_ticket, monkeypatch
):
    import dataclasses

    exact = app.config["HOTLINE"]
    monkeypatch.setitem(app.config, "HOTLINE", dataclasses.replace(exact, stats_max_age=60))
    app.extensions.pop("hotline_kept_public", None)
    first = client.get("/api/v1/stats/public").json["total"]["received"]
    new_ticket()
    assert client.get("/api/v1/stats/public").json["total"]["received"] == first
    app.config["HOTLINE"] = exact  # max age 0: no cache, aggregates recounted on read
    assert client.get("/api/v1/stats/public").json["total"]["received"] == first + 1


def test_the_cli_refreshes_and_rebuilds_the_aggregates(ctx) -> None:
    build()
    runner = ctx.test_cli_runner()
    rebuilt = runner.invoke(args=["stats", "rebuild"])
    assert rebuilt.exit_code == 0 and rebuilt.output.startswith("rebuilt "), rebuilt.output
    rate_one_counted_ticket()
    refreshed = runner.invoke(args=["stats", "refresh"])
    assert refreshed.exit_code == 0 and "recounted 1 day(s)" in refreshed.output, refreshed.output
    assert rollup.verify() == []
