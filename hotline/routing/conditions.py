"""The conditions of a rule besides its words: all groups present, none vetoed, type, place, time."""

from __future__ import annotations

from datetime import datetime

from hotline.routing.address import PlaceMatch
from hotline.routing.evidence import Reading, RuleHits
from hotline.routing.rules import Rule


def check(
    rule: Rule,
    found: RuleHits | None,
    reading: Reading,
    place: PlaceMatch,
    type_: str | None,
    channel: str | None,
    urgent_words: bool,
    now: datetime,
) -> str | None:
    """Return why the rule does not apply, or None when it does."""
    found = found or RuleHits()
    if rule.any and not found.any:
        return "none of its 'any' words"
    # found.all holds group numbers of rule.all: fewer of them means one is missing.
    if len(found.all) < len(rule.all):
        missing = [i for i in range(len(rule.all)) if i not in found.all]
        return f"'all' item(s) {', '.join(str(i + 1) for i in missing)} missing"
    if found.none:
        return f"excluded by {', '.join(sorted(found.none))}"
    if rule.regex and not any(p.search(reading.text) for p in rule.regex):
        return "no regular expression matched"
    if rule.types and type_ not in rule.types:
        return f"type {type_} not in {sorted(rule.types)}"
    if rule.channels and channel not in rule.channels:
        return f"channel {channel} not in {sorted(rule.channels)}"
    if rule.places:
        codes = [c for c in (place.township, place.district) if c]
        if not any(c == p for c in codes for p in rule.places):
            return f"place not inside {', '.join(rule.places)}"
    if rule.urgency is not None and urgent_words != rule.urgency:
        return "urgency words " + ("absent" if rule.urgency else "present")
    if rule.times:
        minute = now.hour * 60 + now.minute
        inside = any(
            (s <= minute < e) if s < e else (minute >= s or minute < e) for s, e in rule.times
        )
        if not inside:
            return f"time {now:%H:%M} outside its hours"
    return None
