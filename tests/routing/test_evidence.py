"""Words not substrings, weighed evidence, confidence, and emergencies that happen now."""

from __future__ import annotations

import logging
from pathlib import Path

from hotline.routing.engine import Router
from hotline.routing.rules import RuleSetError, load_ruleset
from hotline.routing.segment import Boundaries, add_words, tokenizer


def make_router(tmp_path: Path, body: str, index, specs) -> Router:
    from hotline.routing.directory import Directory

    (tmp_path / "rules.yaml").write_text(body, encoding="utf-8")
    return Router(load_ruleset(tmp_path), index, Directory(specs))


def test_a_word_inside_a_longer_word_does_not_match():
    add_words(["重伤", "车祸"])
    assert not Boundaries("严重伤害").is_word(1, 3)
    assert Boundaries("有人重伤").is_word(2, 4)
    # jieba's rare compound 出车祸 (frequency 3) does not hide 车祸.
    assert Boundaries("门口出车祸了").is_word(3, 5)


def test_jieba_is_quiet_and_loaded_once():
    assert tokenizer() is tokenizer()
    assert logging.getLogger("jieba").level >= logging.WARNING


def test_substring_mark_and_word_edges(tmp_path, index, specs):
    body = """
rules:
  - {id: word, weight: 5, when: {any: [重伤]}, then: {function: health, level: city}}
  - {id: stem, weight: 5, when: {any: ["~公平"]}, then: {function: market_regulation, level: city}}
"""
    router = make_router(tmp_path, body, index, specs)
    assert router.decide("受到严重伤害").rule is None
    assert router.decide("有人重伤").rule == "word"
    assert router.decide("收费不公平").rule == "stem"
    trace = router.decide("受到严重伤害").to_dict()["trace"]
    assert {"step": "words", "inside_other_words": ["重伤"]} in trace


def test_evidence_adds_up_and_the_subject_weighs_more(tmp_path, index, specs):
    body = """
rules:
  - {id: a, weight: 4, when: {any: [物业]}, then: {function: housing, level: city}}
  - {id: b, weight: 4, when: {any: [户口]}, then: {function: public_security, level: city}}
  - {id: against, weight: -10, when: {any: [不是物业]}, then: {function: housing, level: city}}
"""
    router = make_router(tmp_path, body, index, specs)
    body_text = "物业乱收费。" + "我们去了好几个地方问，" * 10 + "户口在老家。"
    decision = router.decide(body_text).to_dict()
    assert decision["function"] == "housing"
    scores = next(e for e in decision["trace"] if e["step"] == "scores")["scores"]
    assert scores["housing"] == 12.0 and scores["public_security"] == 4.0
    assert decision["confidence"] == round((12 - 4) / 12, 3)
    contributions = [e for e in decision["trace"] if e["step"] == "rule"]
    assert {e["rule"] for e in contributions} == {"a", "b"}
    assert next(e for e in contributions if e["rule"] == "a")["subject"] is True
    # Evidence against a function subtracts from it.
    assert router.decide("户口的事，不是物业的事").function == "public_security"


def test_subject_only_rules_and_weights_are_checked(tmp_path, index, specs):
    body = """
rules:
  - {id: hotline, weight: 5, when: {any: ["12345"], subject: true}, then: {department: 5101-general}}
  - {id: water, weight: 1, when: {any: [停水]}, then: {function: water, level: city}}
"""
    router = make_router(tmp_path, body, index, specs)
    assert router.decide("12345的接线员态度差").rule == "hotline"
    assert router.decide("小区停水了。我打过12345没人管").rule == "water"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "r.yaml").write_text(
        "rules:\n  - {id: x, weight: 0, when: {any: [a]}, then: {function: water, level: city}}\n",
        encoding="utf-8",
    )
    try:
        load_ruleset(bad)
    except RuleSetError as exc:
        assert "weight must be a non-zero number" in exc.errors[0]
    else:
        raise AssertionError("weight 0 accepted")


def test_emergencies_only_when_happening_now(router):
    assert router.decide("门口出车祸了，有人受伤").emergency
    for text in (
        "上个月这里出过车祸，红绿灯还没修",
        "万一小孩掉下去受伤怎么办",
        "工人们流血流汗，工资却拿不到",
        "开发商严重伤害了业主的利益",
        "消防通道堵了，有火灾隐患",
        "2019年3月5日这里发生过火灾",
    ):
        assert router.decide(text).emergency is None, text


def test_vendor_fumes_and_danger_go_to_the_street_not_urgent(router):
    decision = router.decide("街边摊贩烧烤油烟很大，晚上人多车多很危险", address="武侯区玉林街道")
    assert decision.department_code == "510107005-urban_management"
    assert not decision.urgent and decision.emergency is None


def test_places_need_evidence(index):
    for text in ("收费太不公平了", "提高幸福感", "开发商和物业合作", "天府大道上井盖没了"):
        match = index.resolve(text)
        assert (match.township, match.district) == (None, None), text
    assert index.resolve("武侯区玉林这边").township == "510107005"
    assert index.resolve("玉林这边").township is None
    assert index.resolve("玉林", loose=True).township == "510107005"
    assert index.resolve("天府新区的小区").district == "510116"
    assert index.resolve("高新区石羊这边").township == "510107063"


def test_text_about_another_city_gets_no_place(index):
    for text in ("K市K1区团结社区停水", "长沙市华阳街那边", "我在绵阳涪城区，新华社区"):
        match = index.resolve(text)
        assert match.level is None, text
        assert "another place" in match.matched[0]
    assert index.resolve("我在成都武侯区，老家长沙").district == "510107"


def test_the_subject_is_the_first_sentence_line_or_open311_service():
    from hotline.routing.evidence import subject_end

    assert subject_end("【占道经营】门口有人摆摊，油烟大。") == len("【占道经营】")
    assert subject_end("停水了\n第二行") == len("停水了\n")
    assert subject_end("物业乱收费。详细情况") == len("物业乱收费。")
    assert subject_end("没有句号" * 30) == 60


def test_operators_read_the_scores_and_supporting_rules():
    from flask import Flask
    from flask_babel import Babel

    from hotline.web.labels import decisive, explain

    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        scores = explain({"step": "scores", "scores": {"housing": 12.0}, "confidence": 0.5})
        assert "housing 12.0" in scores and "0.5" in scores
        step = {"step": "rule", "rule": "a", "outcome": "supported", "matched": ["物业"]}
        assert "物业" in explain(step) and decisive(step)
