"""Walk the YAML node tree of rule files, checking every key and value with its line number."""

from __future__ import annotations

import re
from typing import Any

import yaml

from hotline.core import vocabulary
from hotline.routing import rules as r
from hotline.routing.yamlnodes import Node, NodeChecker, scalar_type

TOP_KEYS = ("synonyms", "rules")
RULE_KEYS = ("id", "description", "priority", "enabled", "when", "then")
WHEN_KEYS = ("any", "all", "none", "regex", "type", "channel", "place", "urgency", "time")
THEN_KEYS = ("function", "level", "department", "urgent", "emergency")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class FileChecker(NodeChecker):
    """Collect synonyms and rules from parsed files, recording every mistake."""

    def __init__(self, places: set[str] | None, departments: set[str] | None) -> None:
        self.places = places
        self.departments = departments
        super().__init__()
        self.rules: list[r.Rule] = []
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self._group_at: dict[str, str] = {}
        self._rule_at: dict[str, str] = {}

    def read_synonyms(self, label: str, root: Node) -> None:
        """Record the synonym groups declared in one file."""
        if not isinstance(root, yaml.MappingNode):
            return
        for key_node, value_node in root.value:
            if key_node.value != "synonyms":
                continue
            for name, (name_node, words) in self._mapping(
                label, value_node, "synonyms", None
            ).items():
                if name in self._group_at:
                    self._error(
                        label,
                        name_node,
                        f"duplicate synonym group '{name}' (first at {self._group_at[name]})",
                    )
                    continue
                self._group_at[name] = f"{label}:{name_node.start_mark.line + 1}"
                self.synonyms[name] = tuple(
                    w for w, _ in self._strings(label, words, f"synonym group '{name}'")
                )

    def read_rules(self, label: str, root: Node) -> None:
        """Validate and compile the rules of one file."""
        top = self._mapping(label, root, "a rule file", TOP_KEYS)
        if "rules" not in top:
            return
        rules_node = top["rules"][1]
        if not isinstance(rules_node, yaml.SequenceNode):
            self._error(
                label, rules_node, f"'rules' must be a list, not a {scalar_type(rules_node)}"
            )
            return
        for node in rules_node.value:
            rule = self._rule(label, node)
            if rule is not None:
                self.rules.append(rule)

    def _terms(self, label: str, node: Node, what: str) -> list[str]:
        """Return the terms of a keyword list, checking synonym references."""
        terms = []
        for word, item in self._strings(label, node, what):
            if word.startswith("$") and word[1:] not in self.synonyms:
                self._error(label, item, f"unknown synonym group '{word[1:]}' in {what}")
            else:
                terms.append(word)
        return terms

    def _rule(self, label: str, node: Node) -> r.Rule | None:
        """Check one rule mapping; return the Rule, or None if it is disabled or wrong."""
        before = len(self.errors)
        keys = self._mapping(label, node, "a rule", RULE_KEYS)
        if not keys:
            return None
        fields: dict[str, Any] = {"file": label, "line": node.start_mark.line + 1}
        rule_id = self._id(label, node, keys)
        fields["description"] = str(keys["description"][1].value) if "description" in keys else ""
        if "priority" in keys:
            pnode = keys["priority"][1]
            if scalar_type(pnode) != "integer":
                self._error(
                    label, pnode, f"priority must be an integer, not a {scalar_type(pnode)}"
                )
            else:
                fields["priority"] = int(pnode.value)
        enabled = self._bool(label, keys["enabled"][1], "enabled") if "enabled" in keys else True
        if "when" not in keys:
            self._error(
                label, node, "rule has no 'when' (a rule without conditions would match everything)"
            )
        else:
            fields.update(self._when(label, keys["when"][1]))
        if "then" not in keys:
            self._error(label, node, "rule has no 'then' (what to do when it matches)")
        else:
            fields.update(self._then(label, keys["then"][1]))
        if len(self.errors) > before or not enabled or rule_id is None:
            return None
        return r.Rule(id=rule_id, order=len(self.rules), **fields)

    def _id(self, label: str, node: Node, keys: dict) -> str | None:
        """Return the rule's id, reporting a missing or duplicate one."""
        if "id" not in keys:
            self._error(label, node, "rule has no 'id'")
            return None
        id_node = keys["id"][1]
        rule_id = str(id_node.value)
        if scalar_type(id_node) != "string" or not rule_id.strip():
            self._error(label, id_node, "rule id must be a non-empty string")
            return None
        if rule_id in self._rule_at:
            self._error(
                label, id_node, f"duplicate rule id '{rule_id}' (first at {self._rule_at[rule_id]})"
            )
            return None
        self._rule_at[rule_id] = f"{label}:{id_node.start_mark.line + 1}"
        return rule_id

    def _when(self, label: str, node: Node) -> dict[str, Any]:
        """Check the conditions of a rule and return Rule fields."""
        keys = self._mapping(label, node, "'when'", WHEN_KEYS)
        if isinstance(node, yaml.MappingNode) and not node.value:
            self._error(
                label, node, "'when' is empty (a rule without conditions would match everything)"
            )
        out: dict[str, Any] = {}
        syn = self.synonyms
        for key in ("any", "none"):
            if key in keys:
                out[key] = r.expand_terms(self._terms(label, keys[key][1], f"'{key}'"), syn)
        if "all" in keys:
            anode = keys["all"][1]
            items = anode.value if isinstance(anode, yaml.SequenceNode) else [anode]
            out["all"] = tuple(r.expand_terms(self._terms(label, i, "'all'"), syn) for i in items)
        if "regex" in keys:
            patterns = []
            for pattern, item in self._strings(label, keys["regex"][1], "'regex'"):
                try:
                    patterns.append(re.compile(pattern, re.IGNORECASE))
                except re.error as exc:
                    self._error(label, item, f"bad regular expression {pattern!r}: {exc}")
            out["regex"] = tuple(patterns)
        if "type" in keys:
            out["types"] = frozenset(
                self._choices(label, keys["type"][1], "ticket type", vocabulary.TYPES)
            )
        if "channel" in keys:
            out["channels"] = frozenset(
                self._choices(label, keys["channel"][1], "channel", vocabulary.CHANNELS)
            )
        if "place" in keys:
            out["places"] = tuple(self._place(label, keys["place"][1]))
        if "urgency" in keys:
            out["urgency"] = self._bool(label, keys["urgency"][1], "urgency")
            if r.URGENCY_GROUP not in syn:
                self._error(
                    label,
                    keys["urgency"][1],
                    f"'urgency' needs the synonym group '{r.URGENCY_GROUP}'",
                )
        if "time" in keys:
            out["times"] = tuple(self._times(label, keys["time"][1]))
        return out

    def _place(self, label: str, node: Node) -> list[str]:
        """Return district or township codes, checking them against the places when known."""
        codes = []
        for code, item in self._strings(label, node, "'place'"):
            if not code.isdigit() or len(code) not in (6, 9):
                self._error(
                    label,
                    item,
                    f"place '{code}' must be a 6-digit district or 9-digit township code",
                )
            elif self.places is not None and code not in self.places:
                self._error(label, item, f"unknown place code '{code}'")
            else:
                codes.append(code)
        return codes

    def _times(self, label: str, node: Node) -> list[tuple[int, int]]:
        """Return (start, end) minute ranges from 'HH:MM-HH:MM' strings."""
        ranges = []
        for text, item in self._strings(label, node, "'time'"):
            found = _TIME.match(text)
            if found:
                h1, m1, h2, m2 = (int(g) for g in found.groups())
                start, end = h1 * 60 + m1, h2 * 60 + m2
                if h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and start != end and end <= 1440:
                    ranges.append((start, end))
                    continue
            self._error(
                label, item, f"bad time range '{text}' (expected HH:MM-HH:MM, e.g. 22:00-06:00)"
            )
        return ranges

    def _then(self, label: str, node: Node) -> dict[str, Any]:
        """Check the action of a rule and return Rule fields."""
        keys = self._mapping(label, node, "'then'", THEN_KEYS)
        out: dict[str, Any] = {}
        if "function" in keys:
            out["function"] = next(
                iter(self._choices(label, keys["function"][1], "function", vocabulary.FUNCTIONS)),
                None,
            )
        if "level" in keys:
            out["level"] = next(
                iter(self._choices(label, keys["level"][1], "level", vocabulary.LEVELS)), None
            )
        if ("function" in keys) != ("level" in keys):
            self._error(label, node, "'function' and 'level' go together: give both")
        if "department" in keys:
            dnode = keys["department"][1]
            code = str(dnode.value)
            if "function" in keys:
                self._error(
                    label, dnode, "give either 'department' or 'function' + 'level', not both"
                )
            elif self.departments is not None and code not in self.departments:
                self._error(label, dnode, f"unknown department '{code}'")
            out["department"] = code
        if "urgent" in keys:
            out["urgent"] = self._bool(label, keys["urgent"][1], "urgent")
        if "emergency" in keys:
            out["emergency"] = next(
                iter(
                    self._choices(
                        label,
                        keys["emergency"][1],
                        "emergency number",
                        vocabulary.EMERGENCY_NUMBERS,
                    )
                ),
                None,
            )
        if (
            keys
            and not (set(keys) & {"function", "department", "emergency"})
            and not out.get("urgent")
        ):
            self._error(
                label,
                node,
                "'then' does nothing: give function + level, department, urgent or emergency",
            )
        return out
