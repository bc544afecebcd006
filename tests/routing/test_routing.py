"""Golden cases, addresses, traces, emergencies, hot reload and the CLI."""

from __future__ import annotations

import json
import shutil
import threading
import time

from click.testing import CliRunner

from hotline.routing.cli import rules
from hotline.routing.golden import load_cases, run_case
from hotline.routing.loader import RouterHolder
from tests.support.plugin import RULES_DIR


def test_golden_cases_all_pass(router):
    cases, errors = load_cases(RULES_DIR / "golden")
    assert not errors and len(cases) >= 120
    failures = {case.where: run_case(router, case) for case in cases}
    assert {k: v for k, v in failures.items() if v} == {}


def test_address_resolution(index):
    match = index.resolve("武侯区玉林北路社区")
    assert (match.community, match.township, match.district) == (
        "510107005001",
        "510107005",
        "510107",
    )
    assert index.resolve("双流区东升街道").township == "510116001"
    assert index.resolve("简阳 平泉街道").township == "510185006"
    road = index.resolve("玉林北路12号")
    assert road.community is None and "street name" in road.matched[0]


def test_ambiguous_names_stay_at_the_certain_level(index):
    match = index.resolve("新华社区")
    assert match.community is None and match.district is None
    assert match.ambiguous[0]["reason"] == "name shared by several units"
    assert len(match.ambiguous[0]["candidates"]) == 5
    assert index.resolve("成华区新华社区").community == "510108004007"
    assert index.resolve("x", community_code="510107005001").township == "510107005"


def test_trace_says_who_won_and_who_lost(router):
    decision = router.decide("武侯区玉林北路社区楼下烧烤店外放音响太吵了").to_dict()
    assert set(decision) == {"place", "function", "level", "department", "urgent", "emergency",
                             "rule", "ruleset_version", "trace"}  # fmt: skip
    rules_seen = {e["rule"]: e for e in decision["trace"] if e["step"] == "rule"}
    assert rules_seen["noise.shop"]["outcome"] == "won"
    assert rules_seen["noise.other"]["outcome"] == "lost"
    assert "priority" in rules_seen["noise.other"]["reason"]
    assert decision["department"]["code"] == "510107005-urban_management"


def test_no_match_goes_to_the_centre_saying_so(router):
    decision = router.decide("你好").to_dict()
    assert decision["department"]["code"] == "5101-general" and decision["rule"] is None
    assert any(e["step"] == "default" for e in decision["trace"])


def test_emergency_flags_and_past_events(router):
    fire = router.decide("楼下着火了").to_dict()
    assert fire["emergency"]["numbers"] == ["119"] and fire["urgent"]
    crash = router.decide("门口车祸了，有人受伤流血").to_dict()
    assert set(crash["emergency"]["numbers"]) == {"122", "120"}
    assert router.decide("去年着过火，消防通道还堵着").to_dict()["emergency"] is None


def test_township_fallbacks_are_traced(router):
    decision = router.decide("停水了", address="玉林街道")
    assert decision.department_code == "5101-water"
    vendor = router.decide("摆摊的太多了").to_dict()
    assert vendor["department"]["code"] == "5101-urban_management"
    notes = [e for e in vendor["trace"] if e["step"] == "department"][0]["fallback"]
    assert notes and "unknown" in notes[0]


def test_hot_reload_while_deciding(tmp_path, places, specs):
    rules_dir = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules_dir, ignore=shutil.ignore_patterns("golden"))
    holder = RouterHolder(rules_dir, places, specs, interval=0.05)
    first = holder.version
    stop, seen, failures = threading.Event(), set(), []

    def work() -> None:
        while not stop.is_set():
            try:
                seen.add(holder.router.decide("楼下摆摊好吵").ruleset_version)
            except Exception as exc:  # noqa: BLE001 - any failure fails the test
                failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    extra = rules_dir / "zz.yaml"
    extra.write_text(
        "rules:\n  - id: zz\n    when: {any: [摆摊]}\n    then: {department: 5101-general}\n    priority: 99\n",
        encoding="utf-8",
    )
    deadline = time.monotonic() + 10
    while holder.version == first and time.monotonic() < deadline:
        time.sleep(0.05)
    second = holder.version
    extra.write_text("rules:\n  - id: zz\n    when: {any: [$nope]}\n", encoding="utf-8")
    deadline = time.monotonic() + 10
    while not holder.errors and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    assert not failures and second != first and holder.version == second
    assert holder.errors and "unknown synonym group" in holder.errors[0]
    assert {first, second} <= seen


def test_cli_check_test_explain(places, specs, tmp_path):
    obj = {"places": places, "specs": specs}
    runner = CliRunner()
    assert runner.invoke(rules, ["check"], obj=obj).exit_code == 0
    result = runner.invoke(rules, ["test"], obj=obj)
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        rules, ["explain", "--text", "拖欠工资", "--address", "武侯区", "--json"], obj=obj
    )
    assert json.loads(result.output)["department"]["code"] == "510107-human_resources"
    lines = (
        '{"text": "停电了"}\nnot json\n{"text": "摆摊", "address": "玉林街道", "channel": "sms"}\n'
    )
    result = runner.invoke(rules, ["explain", "--jsonl"], input=lines, obj=obj)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[0]["function"] == "utilities" and "error" in out[1] and out[1]["line"] == 2
    assert out[2]["department"]["code"] == "510107005-urban_management"
    (tmp_path / "bad.yaml").write_text(
        "rules:\n  - id: x\n    when: {any: [a]}\n    then: {function: x, level: city}\n"
    )
    result = runner.invoke(rules, ["check", "--rules-dir", str(tmp_path)], obj=obj)
    assert result.exit_code == 1 and "bad.yaml:4: unknown function 'x'" in result.output
