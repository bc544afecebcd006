"""The department picker's search (/api/v1/departments?q=): every word, and abbreviations."""

from __future__ import annotations

from pathlib import Path

import pytest


def names(client, q):
    response = client.get("/api/v1/departments", query_string={"q": q})
    assert response.status_code == 200
    return [d["name"] for d in response.json["items"]]


def test_every_word_must_match(client):
    found = names(client, "武侯 住建")
    assert "武侯区住房和城乡建设局" in found
    assert all("武侯" in n and "住房和城乡建设" in n for n in found)
    found = names(client, "玉林 城管")
    assert "玉林街道综合行政执法队" in found
    assert all("玉林" in n for n in found)
    assert names(client, "武侯 住房") == ["武侯区住房和城乡建设局"]
    assert names(client, "武侯 火星") == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("武侯 城管", "武侯区城市管理局"),
        ("武侯 环保", "成都市武侯生态环境局"),
        ("武侯 市监", "武侯区市场监督管理局"),
        ("武侯 人社", "武侯区人力资源和社会保障局"),
        ("武侯 交管", "武侯区公安分局交通管理大队"),
        ("武侯 卫健", "武侯区卫生健康局"),
        ("武侯 自规", "成都市规划和自然资源局武侯分局"),
        ("武侯 应急", "武侯区应急管理局"),
        ("武侯 民政", "武侯区民政局"),
        ("武侯 教育", "武侯区教育局"),
        ("武侯 水务", "武侯区水务局"),
        ("武侯 农业", "武侯区农业农村局"),
    ],
)
def test_abbreviations_of_functions(client, q, expected):
    assert expected in names(client, q)


def test_picker_does_not_choose_the_first_match():
    script = (Path(__file__).resolve().parents[2] / "hotline/web/static/deptpicker.js").read_text()
    assert "selectedIndex = 1" not in script and "selectedIndex = 0" in script
