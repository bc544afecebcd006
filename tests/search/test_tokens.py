"""The search tokens: two-character windows over Chinese and Latin runs, phone tails."""

from __future__ import annotations

from hotline.search.tokens import bigrams, normalise, phone_tail_token, term_bigrams


def test_bigrams_cover_every_two_character_window():
    assert bigrams(normalise("噪音扰民")) == {"噪音", "音扰", "扰民"}
    assert bigrams(normalise("停水，12号")) == {"停水", "12", "2号"}
    assert bigrams("a") == {"a"}


def test_a_term_needs_all_its_windows_and_is_folded():
    assert term_bigrams(normalise("占道经营")) == ["占道", "经营", "道经"]
    assert term_bigrams("x") == []
    assert normalise("ＡＢＣ１２３") == "abc123"


def test_phone_tail():
    assert phone_tail_token("13812345678") == "#5678"
    assert phone_tail_token("12") is None
