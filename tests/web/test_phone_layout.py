"""Phone-sized inputs on public pages leave checkboxes and radios at their size."""

from __future__ import annotations

import re
from pathlib import Path


def test_phone_sized_inputs_leave_checkboxes_and_radios_alone():
    css = (Path(__file__).resolve().parents[2] / "hotline/web/static/hotline.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = [r for r in re.findall(r"([^{}]+)\{([^}]*)\}", css) if "min-height: 46px" in r[1]]
    assert rules
    for selectors, _body in rules:
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.startswith("body.public input"):
                assert ':not([type="checkbox"])' in selector
                assert ':not([type="radio"])' in selector
