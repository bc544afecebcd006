"""The project carries its own domain reference, and it names every code the product uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hotline.core import vocabulary
from hotline.tickets.states import ACTIONS, SYSTEM_EVENTS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "domain.md"
CODES = {
    "levels": vocabulary.LEVELS,
    "functions": vocabulary.FUNCTIONS,
    "types": vocabulary.TYPES,
    "channels": vocabulary.CHANNELS,
    "statuses": vocabulary.STATUSES,
    "ratings": vocabulary.RATINGS,
    "call outcomes": vocabulary.CALL_OUTCOMES,
    "actions": ACTIONS,
    "system events": SYSTEM_EVENTS,
}


@pytest.mark.parametrize("kind", sorted(CODES))
def test_every_code_is_explained(kind):
    text = DOC.read_text(encoding="utf-8")
    missing = [code for code in CODES[kind] if f"`{code}`" not in text]
    assert not missing, f"docs/domain.md does not explain these {kind}: {missing}"


def test_limits_match_the_configuration():
    text = DOC.read_text(encoding="utf-8")
    limits = yaml.safe_load((ROOT / "hotline" / "calendar" / "limits.yaml").read_text())
    for kind, limit in limits["types"].items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{kind}` "))
        assert f"{limit['resolve_working_days']} working day" in row, row
        assert f"{limit['sign_working_days']} working day" in row.split("|")[-2], row
    assert f"{limits['urgent']['resolve_hours']} hours" in text
    assert f"{limits['urgent']['sign_minutes']} minutes" in text


def test_readme_sends_newcomers_to_the_projects_own_reference():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/domain.md" in readme
    assert "../shared" not in readme
