"""`rules suggest` turns corrections into a diff of the rule files that a person can apply."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.routing.rules import load_ruleset
from tests.learning.conftest import HEALTH, VENDORS

MISFIRES = [
    "楼下烧烤摊占道经营，油烟很大",
    "夜市烧烤摊天天油烟熏人，还占道",
    "路口烧烤摊油烟呛人",
    "小区门口烧烤摊的油烟太大了",
]
CONFIRMED = ["餐馆油烟直排，熏得人受不了", "饭店厨房油烟管道坏了", "楼下餐厅油烟扰民"]
NO_RULE = ["诊所乱收费，看个感冒花了五百", "这家诊所没有资质还在营业", "私人诊所医生态度很差"]


def _today() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")


def _corrections(file, act, operator):
    for text in MISFIRES:
        act(file(text), operator, action="dispatch", department=VENDORS, reason="流动摊贩归城管")
    for text in CONFIRMED:
        act(file(text), operator, action="dispatch")
    for text in NO_RULE:
        act(file(text), operator, action="dispatch", department=HEALTH, reason="医疗机构归卫健")


def test_suggest_prints_a_diff_that_applies_and_fixes_the_misroutes(
    lapp, file, act, operator, cli, rules_dir, tmp_path
):
    _corrections(file, act, operator)
    before = {p.name: p.read_bytes() for p in rules_dir.iterdir()}
    result = cli("rules", "suggest", "--since", _today())
    assert result.exit_code == 0, result.output
    patch = result.stdout
    # Writes nothing: the rule files are as they were.
    assert {p.name: p.read_bytes() for p in rules_dir.iterdir()} == before
    assert "--- a/routing_rules/rules.yaml" in patch, result.stderr
    assert "+++ b/routing_rules/learned.yaml" in patch, result.stderr
    # The recurring word: 烧烤摊 as n-grams see it, 烧烤 where a segmenter splits 烧烤/摊.
    word = "烧烤摊" if "烧烤摊" in patch else "烧烤"
    added = [line for line in patch.splitlines() if line.startswith("+") and word in line]
    assert any(f"none: [{word}" in line for line in added), patch  # t.fumes misfired
    assert any(f"占道经营, {word}" in line for line in added), patch  # t.vendors was right
    assert "诊所" in patch and "function: health" in patch
    assert "t.fumes misfired 4 time(s)" in result.stderr

    # A person accepts it: the patch applies and the rules load and route as the operators did.
    copy = tmp_path / "checkout"
    shutil.copytree(rules_dir, copy / "routing_rules")
    applied = subprocess.run(
        ["patch", "-p1", "-d", str(copy)], input=patch.encode(), capture_output=True, check=False
    )
    assert applied.returncode == 0, applied.stdout + applied.stderr
    ruleset = load_ruleset(copy / "routing_rules")
    by_id = {r.id: r for r in ruleset.rules}
    assert word in by_id["t.fumes"].none and word in by_id["t.vendors"].any
    learned = [r for r in ruleset.rules if r.id.startswith("learned.")]
    assert [(r.function, r.level) for r in learned] == [("health", "district")]

    explained = cli(
        "rules", "explain", "--rules-dir", str(copy / "routing_rules"), "--json",
        "--text", "街边烧烤摊油烟好大", "--address", "武侯区玉林街道",
    )  # fmt: skip
    assert explained.exit_code == 0, explained.output
    decision = json.loads(explained.stdout)
    assert (decision["rule"], decision["function"]) == ("t.vendors", "urban_management")


def test_suggest_without_corrections_says_so(lapp, file, act, operator, cli):
    _corrections(file, act, operator)
    tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).strftime("%Y-%m-%d")
    result = cli("rules", "suggest", "--since", tomorrow)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "no changes to suggest" in result.stderr


def test_suggest_needs_a_date(cli, lapp):
    result = cli("rules", "suggest", "--since", "last week")
    assert result.exit_code == 2
    assert "--since" in result.output


def test_one_off_corrections_are_not_enough(lapp, file, act, operator, cli):
    act(file(MISFIRES[0]), operator, action="dispatch", department=VENDORS, reason="归城管")
    result = cli("rules", "suggest", "--since", _today())
    assert result.exit_code == 0 and result.stdout == ""


LAYOUTS = """\
rules:
  - id: a.wrapped
    priority: 60
    when:
      any: [乱收费, 收费过高,
            天价]
    then: {function: market_regulation, level: district}
  - id: b.block
    priority: 50
    when:
      any:
        - 停水
        - 水压低
    then: {function: water, level: district}
  - id: c.flow
    priority: 50
    when: {any: [油烟]}
    then: {function: environment, level: district}
  - id: d.blockwhen
    priority: 50
    when:
      any: [噪音]
    then: {function: environment, level: district}
"""


def test_rule_files_are_edited_in_every_layout(tmp_path):
    from hotline.routing.suggest import Change, RuleFiles

    (tmp_path / "r.yaml").write_text(LAYOUTS, encoding="utf-8")
    rules = {r.id: r for r in load_ruleset(tmp_path).rules}
    files = RuleFiles(tmp_path)
    for change in (
        Change(rules["a.wrapped"], "any", ["坐地起价"], "w"),
        Change(rules["b.block"], "any", ["没水"], "b"),
        Change(rules["c.flow"], "none", ["烧烤摊"], "f"),
        Change(rules["d.blockwhen"], "none", ["广场舞"], "d"),
        Change(rules["a.wrapped"], "none", ["物业费"], "n"),
    ):
        assert files.apply(change), change.why
    assert files.still_valid() == []
    (tmp_path / "r.yaml").write_text("".join(files.current["r.yaml"]), encoding="utf-8")
    edited = {r.id: r for r in load_ruleset(tmp_path).rules}
    assert "坐地起价" in edited["a.wrapped"].any and "天价" in edited["a.wrapped"].any
    assert "物业费" in edited["a.wrapped"].none
    assert set(edited["b.block"].any) == {"停水", "水压低", "没水"}
    assert edited["c.flow"].none == ("烧烤摊",) and edited["d.blockwhen"].none == ("广场舞",)
    diff = files.diff()
    assert diff.startswith("--- a/routing_rules/r.yaml") and "+            天价, 坐地起价]" in diff
