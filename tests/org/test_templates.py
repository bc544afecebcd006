"""Tests of the department template and the departments it generates for Chengdu."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from hotline.core.vocabulary import FUNCTIONS as VOCABULARY_FUNCTIONS
from hotline.org.divisions import Place, load_extract
from hotline.org.templates import (
    TEMPLATE_PATH,
    DepartmentSpec,
    TemplateError,
    department_specs,
    load_template,
)

FUNCTIONS = list(VOCABULARY_FUNCTIONS)


@pytest.fixture(scope="module")
def places() -> list[Place]:
    """Load the shipped Chengdu extract once."""
    return load_extract("5101")


@pytest.fixture(scope="module")
def specs(places: list[Place]) -> dict[str, DepartmentSpec]:
    """Generate Chengdu's departments once, by code."""
    return {spec.code: spec for spec in department_specs(places)}


def test_template_declares_every_domain_function() -> None:
    template = load_template()
    assert sorted(template["functions"]) == sorted(FUNCTIONS)
    assert [entry["function"] for entry in template["levels"]["township"]] == [
        "general",
        "urban_management",
    ]


def test_total_and_per_level_department_counts(specs: dict[str, DepartmentSpec]) -> None:
    # 17 at the city, 17 per district, 2 per township, 1 per community.
    assert len(specs) == 17 + 20 * 17 + 261 * 2 + 3047 == 3926
    counts = Counter(spec.level for spec in specs.values())
    assert counts == {"city": 17, "district": 340, "township": 522, "community": 3047}


def test_codes_combine_unit_and_function(specs: dict[str, DepartmentSpec]) -> None:
    for code, spec in specs.items():
        assert code == f"{spec.org_unit_code}-{spec.function}"
        assert spec.function in FUNCTIONS


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("5101-general", "成都市12345市长公开电话中心"),
        ("5101-traffic_police", "成都市公安局交通管理局"),
        ("5101-natural_resources", "成都市规划和自然资源局"),
        ("510107-general", "武侯区人民政府办公室"),
        ("510107-urban_management", "武侯区城市管理局"),
        ("510107-housing", "武侯区住房和城乡建设局"),
        ("510107-traffic_police", "武侯区公安分局交通管理大队"),
        ("510107-public_security", "武侯区公安分局"),
        ("510107-health", "武侯区卫生健康局"),
        ("510107-environment", "成都市武侯生态环境局"),
        ("510107-natural_resources", "成都市规划和自然资源局武侯分局"),
        ("510121-public_security", "金堂县公安局"),
        ("510185-traffic_police", "简阳市公安局交通管理大队"),
        ("510185-natural_resources", "简阳市规划和自然资源局"),
        ("510107005-general", "玉林街道办事处"),
        ("510107005-urban_management", "玉林街道综合行政执法队"),
        ("510107005001-general", "玉林北路社区居委会"),
    ],
)
def test_names_of_real_units(specs: dict[str, DepartmentSpec], code: str, name: str) -> None:
    assert specs[code].name == name


def test_township_and_community_naming_rules(
    places: list[Place], specs: dict[str, DepartmentSpec]
) -> None:
    for place in places:
        if place.level == "township":
            general = specs[f"{place.code}-general"].name
            suffix = "办事处" if place.name.endswith("街道") else "人民政府"
            assert general == place.name + suffix
        elif place.level == "community":
            general = specs[f"{place.code}-general"].name
            assert general.startswith(place.name)
            assert general.endswith(("居委会", "委员会", "村委会"))


def test_community_names_without_committee_suffix_get_one() -> None:
    places = [
        Place("9901", "测试市", "city", None),
        Place("990101", "甲区", "district", "9901"),
        Place("990101001", "乙镇", "township", "990101"),
        Place("990101001001", "天瑞社区", "community", "990101001"),
        Place("990101001002", "丙村村民委员会", "community", "990101001"),
    ]
    names = {spec.code: spec.name for spec in department_specs(places)}
    assert names["990101001-general"] == "乙镇人民政府"
    assert names["990101001001-general"] == "天瑞社区居委会"
    assert names["990101001002-general"] == "丙村村民委员会"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    """Write a copy of the shipped template with one text replacement."""
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "departments.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("function: water,", "function: waterworks,", "waterworks", "unknown function"),
        ('"{name}水务局"', '"{name}{chief}水务局"', "{chief}", "unknown placeholder {chief}"),
        ('"{name}水务局"', '"{name水务局"', "{name水务局", "bad pattern"),
        (
            "{function: housing,",
            "{function: general,",
            'function: general, name: "{name}住',
            "general twice",
        ),
        (
            '{pattern: "{name}公安局"}',
            '{suffix: 县, pattern: "{name}公安局"}',
            "suffix: 县",
            "last name rule",
        ),
        (
            "  water: 水务\n",
            "  water: 水务\n  water: 水利\n",
            "water: 水利",
            "duplicate key 'water'",
        ),
        ("{function: housing,", "{function: housing, size: 3,", "size: 3", "unknown key 'size'"),
        ("{function: water, name: ", "{function: water, name: [", "{function: water, name: [", ""),
    ],
)
def test_template_errors_name_file_and_line(
    tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    path = _broken(tmp_path, old, new)
    line = _line_of(path, needle.rstrip("\n"))
    with pytest.raises(
        TemplateError, match=re.escape(f"{path}:{line}: ") + ".*" + re.escape(message)
    ):
        load_template(path)


def test_city_level_must_cover_every_function(tmp_path: Path) -> None:
    path = _broken(tmp_path, '    - {function: water, name: "{name}水务局"}\n', "")
    with pytest.raises(TemplateError, match=r"departments\.yaml:\d+: the city level lacks: water"):
        load_template(path)


def test_missing_general_is_refused(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, '    - {function: urban_management, name: "{name}综合行政执法队"}\n', ""
    )
    text = path.read_text(encoding="utf-8")
    township_general = "    - function: general\n      name:\n        - {suffix: 街道"
    assert township_general in text
    text = text.replace(township_general, township_general.replace("general", "urban_management"))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match="level township has no general department"):
        load_template(path)
