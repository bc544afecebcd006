"""`hotline rules eval FILE.jsonl`: the figures on labelled messages."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hotline.routing.cli import rules


def write(tmp_path, items) -> str:
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8"
    )
    return str(path)


def test_eval_prints_accuracy_labels_general_places_emergencies(places, specs, tmp_path):
    items = [
        {"text": "小区停水两天了", "expected_functions": ["water"], "source_label": "城乡建设"},
        {"text": "老板拖欠工资", "expected_functions": ["human_resources"], "source_label": "劳动"},
        {"text": "你好", "expected_functions": ["water"], "source_label": "城乡建设"},
        {
            "text": "武侯区玉林街道有人摆摊",
            "expected_functions": ["urban_management"],
            "source_label": "城乡建设",
        },  # fmt: skip
        {"text": "楼下着火了", "expected_functions": ["emergency_management"], "source_label": "x"},
    ]
    result = CliRunner().invoke(
        rules,
        ["eval", write(tmp_path, items), "--misses", "5"],
        obj={"places": places, "specs": specs},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "accuracy: 60.0% (3/5)" in lines
    assert "  城乡建设: 66.7% (2/3)" in lines and "  劳动: 100.0% (1/1)" in lines
    assert "routed to general: 40.0% (2)" in lines
    assert "false places: 20.0% (1)" in lines
    assert "false emergencies: 20.0% (1)" in lines
    assert any(line.startswith("  line 3 [城乡建设] want water, got general") for line in lines)


def test_eval_names_a_bad_line(places, specs, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "停水", "expected_functions": ["water"]}\n{"text": 1}\n')
    result = CliRunner().invoke(rules, ["eval", str(path)], obj={"places": places, "specs": specs})
    assert result.exit_code != 0 and "line 2" in result.output
