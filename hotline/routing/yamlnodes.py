"""Read YAML node trees with line numbers: the small checks every rule-file key needs."""

from __future__ import annotations

import yaml

Node = yaml.Node
_SCALARS = {
    "tag:yaml.org,2002:str": "string",
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:null": "null",
}


def scalar_type(node: Node) -> str:
    """Return the YAML type name of a node ('mapping', 'list', 'string', 'integer'...)."""
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return _SCALARS.get(node.tag, "string")


class NodeChecker:
    """Collect mistakes as ``file:line: message`` while reading mappings, strings and flags."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def _error(self, label: str, node: Node, message: str) -> None:
        """Record a mistake at the node's line."""
        self.errors.append(f"{label}:{node.start_mark.line + 1}: {message}")

    def _mapping(self, label: str, node: Node, what: str, keys: tuple[str, ...] | None) -> dict:
        """Return {key: (key node, value node)} of a mapping, reporting bad and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self._error(label, node, f"{what} must be a mapping, not a {scalar_type(node)}")
            return {}
        result: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self._error(label, key_node, f"duplicate key '{key}' in {what}")
            elif keys is not None and key not in keys:
                self._error(
                    label, key_node, f"unknown key '{key}' in {what} (allowed: {', '.join(keys)})"
                )
            else:
                result[key] = (key_node, value_node)
        return result

    def _strings(self, label: str, node: Node, what: str) -> list[tuple[str, Node]]:
        """Return the strings of a scalar or a list of scalars (numbers become strings)."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: list[tuple[str, Node]] = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or scalar_type(item) not in (
                "string",
                "integer",
            ):
                self._error(label, item, f"{what} must be a string or a list of strings")
            elif not str(item.value).strip():
                self._error(label, item, f"empty string in {what}")
            else:
                result.append((str(item.value).strip(), item))
        return result

    def _bool(self, label: str, node: Node, what: str) -> bool:
        """Return a boolean value, reporting other types."""
        if scalar_type(node) != "boolean":
            self._error(label, node, f"{what} must be true or false, not a {scalar_type(node)}")
            return False
        return str(node.value).lower() in ("true", "yes", "on", "y")

    def _choices(self, label: str, node: Node, what: str, allowed: tuple[str, ...]) -> list[str]:
        """Return strings that must come from a fixed vocabulary."""
        values = []
        for value, item in self._strings(label, node, what):
            if value not in allowed:
                self._error(
                    label, item, f"unknown {what} '{value}' (allowed: {', '.join(allowed)})"
                )
            else:
                values.append(value)
        return values
