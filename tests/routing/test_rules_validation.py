"""Every kind of rule-file mistake is reported as file:line: message, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.routing.rules import RuleSetError, check_rules, load_ruleset

GOOD = """synonyms:
  noise: [噪音, 吵]
rules:
  - id: ok
    when: {any: [$noise]}
    then: {function: housing, level: district}
"""


def errors_for(tmp_path: Path, body: str, **kwargs) -> list[str]:
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    return check_rules(tmp_path, **kwargs)


@pytest.mark.parametrize(
    ("line", "snippet", "message"),
    [
        (4, "    colour: red", "unknown key 'colour' in a rule"),
        (4, "    priority: high", "priority must be an integer"),
        (4, "    when: {regex: ['(unclosed']}", "bad regular expression"),
        (4, "    then: {function: plumbing, level: district}", "unknown function 'plumbing'"),
        (4, "    then: {function: water, level: province}", "unknown level 'province'"),
        (4, "    when: {type: gripe}", "unknown ticket type 'gripe'"),
        (4, "    when: {channel: pigeon}", "unknown channel 'pigeon'"),
        (4, "    when: {any: [$nothing]}", "unknown synonym group 'nothing'"),
        (4, "    when: {time: ['25:00-06:00']}", "bad time range '25:00-06:00'"),
        (4, "    when: {place: ['999999']}", "unknown place code '999999'"),
        (4, "    then: {function: water}", "'function' and 'level' go together"),
        (4, "    when: {}", "'when' is empty"),
        (4, "    when: {any: 5.5}", "must be a string or a list of strings"),
    ],
)
def test_each_mistake_has_file_and_line(tmp_path, line, snippet, message):
    body = "rules:\n  - id: bad\n    description: x\n" + snippet + "\n"
    if "when:" not in snippet:
        body += "    when: {any: [x]}\n"
    if "then:" not in snippet:
        body += "    then: {function: water, level: district}\n"
    errors = errors_for(tmp_path, body, place_codes={"510107"})
    assert any(e.startswith(f"{tmp_path / 'a.yaml'}:{line}: ") and message in e for e in errors), (
        errors
    )


def test_duplicate_rule_id_points_at_both(tmp_path):
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    errors = errors_for(
        tmp_path,
        GOOD.split("rules:\n")[1]
        .join(["rules:\n", ""])
        .replace("synonyms:\n  noise: [噪音, 吵]\n", ""),
    )
    assert any("duplicate rule id 'ok'" in e and "b.yaml:4" in e for e in errors), errors


def test_all_errors_collected_not_just_the_first(tmp_path):
    body = """rules:
  - id: one
    when: {any: [$missing]}
    then: {function: nope, level: district}
  - id: two
    when: {time: ['9-5']}
    then: {level: city}
"""
    errors = errors_for(tmp_path, body)
    assert [e.split(":")[1] for e in errors] == ["3", "4", "6", "7", "7"], errors


def test_yaml_syntax_error_has_line(tmp_path):
    errors = errors_for(tmp_path, "rules:\n  - id: x\n    when: {any: [a\n")
    assert errors and errors[0].startswith(f"{tmp_path / 'a.yaml'}:") and "YAML syntax" in errors[0]


def test_valid_file_loads_with_version(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    first = load_ruleset(tmp_path)
    assert [r.id for r in first.rules] == ["ok"] and len(first.version) == 12
    (tmp_path / "a.yaml").write_text(GOOD + "# comment\n", encoding="utf-8")
    assert load_ruleset(tmp_path).version != first.version


def test_load_raises_with_every_error(tmp_path):
    (tmp_path / "a.yaml").write_text("rules:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(tmp_path)
    assert len(info.value.errors) == 2  # no 'when', no 'then'


def test_default_rules_are_valid(places, specs):
    from tests.support.plugin import RULES_DIR

    codes = [p.code for p in places]
    assert check_rules(RULES_DIR, place_codes=codes, department_codes=[s.code for s in specs]) == []
