"""Answers kept per process for the figures' max age, and none when the age is 0."""

from __future__ import annotations

import dataclasses
import itertools

from hotline.stats.kept import kept


def test_an_answer_is_kept_for_the_max_age_per_question_and_not_at_age_zero(app, monkeypatch):
    counter = itertools.count()
    exact = app.config["HOTLINE"]
    with app.app_context():
        assert [kept("t", "q", lambda: next(counter)) for _ in range(2)] == [0, 1]
        monkeypatch.setitem(app.config, "HOTLINE", dataclasses.replace(exact, stats_max_age=60))
        assert [kept("t", "q", lambda: next(counter)) for _ in range(2)] == [2, 2]
        assert kept("t", "other", lambda: next(counter)) == 3
        # An answer older than the age is asked again.
        monkeypatch.setattr("hotline.core.kept.time.monotonic", lambda: 10.0**9)
        assert kept("t", "q", lambda: next(counter)) == 4
