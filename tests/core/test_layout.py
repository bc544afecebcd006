"""The package map holds: no import cycle between packages, every action wired everywhere."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

HOTLINE = Path(__file__).resolve().parents[2] / "hotline"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Return the ids of nodes under ``if TYPE_CHECKING:`` (type-only, never run)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(n) for n in ast.walk(node)}
    return hidden


def package_graph() -> dict[str, set[str]]:
    """Map each top-level package of hotline/ to the packages it imports (any import, anywhere).

    Modules at hotline/ itself (the app factory, blueprints, models, CLI) compose the packages
    and are left out: they sit on top of everything by design.
    """
    graph: dict[str, set[str]] = defaultdict(set)
    for path in HOTLINE.rglob("*.py"):
        parts = path.relative_to(HOTLINE).parts
        if len(parts) == 1:
            continue
        source = parts[0]
        graph[source]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                bits = name.split(".")
                if bits[0] != "hotline" or len(bits) < 2:
                    continue
                target = bits[1]
                if (HOTLINE / target).is_dir() and target != source:
                    graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_packages():
    graph = package_graph()
    assert {"core", "tickets", "sla", "web"} <= set(graph)
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_imports_no_domain_package():
    assert package_graph()["core"] == set()


def test_every_action_has_a_handler_a_schema_and_a_label():
    from hotline.tickets.actions import HANDLERS
    from hotline.tickets.schemas import ACTION_SCHEMAS
    from hotline.tickets.states import TRANSITIONS
    from hotline.web.labels import ACTION

    actions = set(TRANSITIONS)
    assert set(HANDLERS) == actions
    assert set(ACTION_SCHEMAS) == actions
    assert actions <= set(ACTION)


def test_every_role_of_the_state_table_is_in_the_permission_table():
    from hotline.core.permissions import ROLE_TABLE, ROLES, SUPERUSERS
    from hotline.tickets.states import TRANSITIONS
    from hotline.web.auth import CONSOLE_LABELS, ROLE_LABELS

    roles = set().union(*(t.roles for t in TRANSITIONS.values()))
    assert roles <= set(ROLE_TABLE)
    assert all(t.roles >= SUPERUSERS for t in TRANSITIONS.values())
    assert set(ROLES) == set(ROLE_LABELS)
    consoles = {c for r in ROLE_TABLE.values() for c in r.consoles} | {
        r.home for r in ROLE_TABLE.values() if r.home
    }
    assert consoles <= set(CONSOLE_LABELS)
