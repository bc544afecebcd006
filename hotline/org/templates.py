"""Departments of every org unit, generated from one declarative template (departments.yaml).

The YAML says which departments a unit of each level gets and how they are named; this module
only validates and interprets it. Errors name the template file and line.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hotline.org.divisions import LEVELS, Place

TEMPLATE_PATH = Path(__file__).resolve().parent / "departments.yaml"
PLACEHOLDERS = frozenset({"name", "short", "city"})


class TemplateError(ValueError):
    """Invalid department template; the message starts with ``file:line:``."""


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    """One department to create: which unit it belongs to and what it handles."""

    code: str
    name: str
    function: str
    org_unit_code: str
    level: str


class _Checker:
    """Turn composed YAML nodes into plain values, raising with file:line on any mismatch."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node, message: str) -> TemplateError:
        """Build an error pointing at node."""
        return TemplateError(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str, keys: set[str] | None = None) -> dict:
        """Return {key: value node} of a mapping, rejecting duplicate and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.string(key_node, f"a key of {what}")
            # yaml.compose keeps duplicate keys; the last one would silently win otherwise.
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r} in {what}")
            if keys is not None and key not in keys:
                raise self.fail(key_node, f"unknown key {key!r} in {what}")
            result[key] = value_node
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """Return the item nodes of a non-empty sequence."""
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, f"{what} must be a non-empty list")
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str:
        """Return a non-empty scalar as text."""
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what} must be a non-empty string")
        return str(node.value).strip()

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """Return one string or a list of strings as a tuple."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(self.string(item, what) for item in self.sequence(node, what))
        return (self.string(node, what),)

    def pattern(self, node: yaml.Node) -> str:
        """Return a name pattern whose placeholders are all known."""
        text = self.string(node, "a name pattern")
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)]
        except ValueError as exc:
            raise self.fail(node, f"bad pattern {text!r}: {exc}") from exc
        for field, spec, conversion in fields:
            if field is None:
                continue
            if field not in PLACEHOLDERS or spec or conversion:
                known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
                raise self.fail(node, f"unknown placeholder {{{field}}} (known: {known})")
        return text

    def name_rules(self, node: yaml.Node) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Return (suffixes, pattern) rules; a bare pattern is one rule matching any name."""
        if isinstance(node, yaml.ScalarNode):
            return (((), self.pattern(node)),)
        rules = []
        items = self.sequence(node, "name")
        for item in items:
            fields = self.mapping(item, "a name rule", {"suffix", "pattern"})
            if "pattern" not in fields:
                raise self.fail(item, "a name rule needs a pattern")
            suffixes = self.strings(fields["suffix"], "suffix") if "suffix" in fields else ()
            rules.append((suffixes, self.pattern(fields["pattern"])))
        if rules[-1][0]:
            raise self.fail(items[-1], "the last name rule must have no suffix (the fallback)")
        if any(not suffixes for suffixes, _ in rules[:-1]):
            raise self.fail(node, "only the last name rule may omit its suffix")
        return tuple(rules)


def load_template(path: Path | None = None) -> dict[str, Any]:
    """Read and validate a department template; return plain data."""
    path = Path(path) if path is not None else TEMPLATE_PATH
    check = _Checker(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as exc:
        raise TemplateError(f"{path}:1: cannot read: {exc.strerror}") from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise TemplateError(f"{path}:{line}: {exc.problem}") from exc
    if root is None:
        raise TemplateError(f"{path}:1: empty template")

    top = check.mapping(root, "the template", {"functions", "short_suffixes", "levels"})
    for key in ("functions", "levels"):
        if key not in top:
            raise check.fail(root, f"missing {key!r}")
    functions = {
        code: check.string(label, f"the label of {code}")
        for code, label in check.mapping(top["functions"], "functions").items()
    }
    short_suffixes: tuple[str, ...] = ()
    if "short_suffixes" in top:
        short_suffixes = check.strings(top["short_suffixes"], "short_suffixes")

    levels_node = top["levels"]
    level_nodes = check.mapping(levels_node, "levels", set(LEVELS))
    levels: dict[str, list[dict[str, Any]]] = {}
    for level in LEVELS:
        if level not in level_nodes:
            raise check.fail(levels_node, f"missing level {level!r}")
        entries: list[dict[str, Any]] = []
        for item in check.sequence(level_nodes[level], f"level {level}"):
            fields = check.mapping(item, f"a {level} department", {"function", "name"})
            if "function" not in fields or "name" not in fields:
                raise check.fail(item, "a department needs a function and a name")
            function = check.string(fields["function"], "function")
            if function not in functions:
                raise check.fail(fields["function"], f"unknown function {function!r}")
            if any(entry["function"] == function for entry in entries):
                raise check.fail(fields["function"], f"{function} twice at level {level}")
            entries.append({"function": function, "name": check.name_rules(fields["name"])})
        present = {entry["function"] for entry in entries}
        # Matters without a clear owner go to `general`, so every unit needs one.
        if "general" not in present:
            raise check.fail(level_nodes[level], f"level {level} has no general department")
        # The city is the last resort for every function.
        if level == "city" and present != set(functions):
            missing = ", ".join(sorted(set(functions) - present))
            raise check.fail(level_nodes[level], f"the city level lacks: {missing}")
        levels[level] = entries
    return {"functions": functions, "short_suffixes": short_suffixes, "levels": levels}


def _short_name(name: str, suffixes: tuple[str, ...]) -> str:
    """Return name without its first matching suffix (武侯区 -> 武侯)."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _city_name(place: Place, by_code: dict[str, Place]) -> str:
    """Return the name of the city a place belongs to."""
    current = place
    while current.parent_code is not None:
        parent = by_code.get(current.parent_code)
        if parent is None:
            raise ValueError(f"{current.code}: parent {current.parent_code} is not in the list")
        current = parent
    return current.name


def render_name(rules: tuple[tuple[tuple[str, ...], str], ...], context: dict[str, str]) -> str:
    """Apply the first rule whose suffix matches the unit's name."""
    for suffixes, pattern in rules:
        if not suffixes or context["name"].endswith(suffixes):
            return pattern.format(**context)
    raise ValueError(f"no name rule matches {context['name']!r}")  # validation prevents this


def department_specs(places: list[Place], template: dict | None = None) -> list[DepartmentSpec]:
    """Return the departments of every place, in the order of places and of the template."""
    template = template if template is not None else load_template()
    by_code = {place.code: place for place in places}
    specs: list[DepartmentSpec] = []
    for place in places:
        context = {
            "name": place.name,
            "short": _short_name(place.name, template["short_suffixes"]),
            "city": _city_name(place, by_code),
        }
        for entry in template["levels"].get(place.level, ()):
            specs.append(
                DepartmentSpec(
                    code=f"{place.code}-{entry['function']}",
                    name=render_name(entry["name"], context),
                    function=entry["function"],
                    org_unit_code=place.code,
                    level=place.level,
                )
            )
    return specs
