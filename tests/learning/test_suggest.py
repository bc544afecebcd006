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
    added = [line for line in patch.splitlines() if line.startswith("+") and "烧烤摊" in line]
    assert any("none: [烧烤摊" in line for line in added), patch  # t.fumes misfired
    assert any("占道经营, 烧烤摊" in line for line in added), patch  # t.vendors was right
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
    assert "烧烤摊" in by_id["t.fumes"].none and "烧烤摊" in by_id["t.vendors"].any
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
